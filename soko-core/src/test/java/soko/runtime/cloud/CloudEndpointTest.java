package soko.runtime.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.runtime.Audio;
import soko.runtime.ModelUnavailableException;

class CloudEndpointTest {
  @Test
  void anEndpointIsAnHttpUrlWithAHostUsedForTheListedTasksOnly() {
    CloudEndpoint e = new CloudEndpoint("acme", URI.create("https://mt.example.org/v1"), Set.of(Task.TRANSLATE));
    assertThat(e.handles(Task.TRANSLATE)).isTrue();
    assertThat(e.handles(Task.ASR)).isFalse();
    assertThatThrownBy(() -> new CloudEndpoint("acme", URI.create("file:/etc/passwd"), Set.of(Task.TRANSLATE)))
        .hasMessage("a cloud endpoint is an https:// (or LAN http://) URL with a host, not file:/etc/passwd");
    assertThatThrownBy(() -> new CloudEndpoint("acme", URI.create("https://x.example"), Set.of()))
        .hasMessage("a cloud endpoint is used for at least one task");
  }

  @Test
  void aProviderThatOnlyTranslatesRefusesSpeechWithAnActionableMessage() {
    CloudProvider textOnly = new CloudProvider() {
      @Override
      public String id() {
        return "text-only";
      }

      @Override
      public String description() {
        return "translates text";
      }

      @Override
      public List<TaskSpec> capabilities() {
        return List.of(TaskSpec.translate(Language.JA, Language.EN));
      }
    };
    CloudEndpoint e = new CloudEndpoint("text-only", URI.create("https://x.example"), Set.of(Task.ASR));
    assertThatThrownBy(() -> textOnly.transcribe(e, Audio.of(new float[10]), Language.JA, false))
        .isInstanceOf(ModelUnavailableException.class)
        .hasMessage("cloud provider text-only does not take speech; remove asr and speech-translate from"
            + " SOKO_CLOUD_TASKS to transcribe on this machine");
  }
}
