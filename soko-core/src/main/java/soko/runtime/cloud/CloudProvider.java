package soko.runtime.cloud;

import java.util.List;
import soko.manifest.Language;
import soko.manifest.TaskSpec;
import soko.runtime.Audio;
import soko.runtime.EngineException;
import soko.runtime.ModelUnavailableException;
import soko.runtime.Segment;

/**
 * A remote engine, found with {@link java.util.ServiceLoader} under this interface's name.
 *
 * <p>The contract: constructing a provider and calling {@link #id()}, {@link #description()} and
 * {@link #capabilities()} must not touch the network. {@link #translate} and {@link #transcribe}
 * are called only after the user configured this provider explicitly (see the package comment),
 * with the endpoint the user gave; they may then send the text or audio to that endpoint and
 * nowhere else. Implementations are thread-safe.
 */
public interface CloudProvider {
  /**
   * The provider's id. Must not touch the network.
   *
   * @return a short stable id the user names in the settings, such as {@code acme-mt}
   */
  String id();

  /**
   * For Diagnostics. Must not touch the network.
   *
   * @return one line naming the service and who runs it
   */
  String description();

  /**
   * What the service can do. Must not touch the network.
   *
   * @return the tasks and languages the service can do
   */
  List<TaskSpec> capabilities();

  /**
   * Translates text remotely.
   *
   * @param endpoint the service the user configured; nothing is sent anywhere else
   * @param text the text
   * @param from its language
   * @param to the target language
   * @return the translation
   * @throws ModelUnavailableException by default: the provider does not translate text
   * @throws EngineException when the service fails or refuses (the message says what to do)
   */
  default String translate(CloudEndpoint endpoint, String text, Language from, Language to) throws EngineException {
    throw new ModelUnavailableException("cloud provider " + id() + " does not translate text; remove translate from "
        + "SOKO_CLOUD_TASKS to translate on this machine");
  }

  /**
   * Transcribes (or, with {@code toEnglish}, translates) speech remotely.
   *
   * @param endpoint the service the user configured; nothing is sent anywhere else
   * @param audio 16 kHz mono audio
   * @param language the spoken language
   * @param toEnglish true for English text, false for text in {@code language}
   * @return timed text segments
   * @throws ModelUnavailableException by default: the provider does not take speech
   * @throws EngineException when the service fails or refuses (the message says what to do)
   */
  default List<Segment> transcribe(CloudEndpoint endpoint, Audio audio, Language language, boolean toEnglish)
      throws EngineException {
    throw new ModelUnavailableException("cloud provider " + id() + " does not take speech; remove asr and "
        + "speech-translate from SOKO_CLOUD_TASKS to transcribe on this machine");
  }
}
