package soko.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Real speech for tests: small WAV files made with espeak-ng and sox by {@code
 * soko-testkit/audio/make-audio.sh} and shipped as class-path resources under {@code
 * soko/testkit/audio/}.
 *
 * <p>Every speech clip has exactly 1 s of digital silence before and after the synthesized
 * sentence, so tests can find where speech really is from the samples themselves.
 *
 * <p>Thread-safe. {@link #path()} copies a clip out of the class path once per JVM.
 */
public enum TestAudio {
  /** Japanese, written in kana for espeak-ng; 16 kHz, mono, 16-bit PCM. */
  JA_16K_MONO("ja-16k-mono.wav", "ja", "こんにちは、きょうはいいてんきですね", 16_000, 1),
  /** Korean in hangul; 16 kHz, mono, 16-bit PCM. */
  KO_16K_MONO("ko-16k-mono.wav", "ko", "안녕하세요, 오늘은 날씨가 좋네요", 16_000, 1),
  /** 3 s of digital silence; 16 kHz, mono, 16-bit PCM. */
  SILENCE_3S("silence-3s-16k.wav", "", "", 16_000, 1),
  /** {@link #JA_16K_MONO}'s sentence at 44.1 kHz stereo, 16-bit PCM; the right channel at half amplitude. */
  JA_44K_STEREO("ja-44k-stereo.wav", "ja", "こんにちは、きょうはいいてんきですね", 44_100, 2);

  /** Silence added before and after each spoken sentence, in seconds. */
  public static final double PADDING_SECONDS = 1.0;

  private static final String FOLDER = "soko/testkit/audio/";

  private final String fileName;
  private final String language;
  private final String text;
  private final int sampleRate;
  private final int channels;

  TestAudio(String fileName, String language, String text, int sampleRate, int channels) {
    this.fileName = fileName;
    this.language = language;
    this.text = text;
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  /** The file name, such as {@code ja-16k-mono.wav}. */
  public String fileName() {
    return fileName;
  }

  /** The spoken language as an ISO 639 code ({@code ja}, {@code ko}), or empty for silence. */
  public String language() {
    return language;
  }

  /** The sentence given to espeak-ng, or empty for silence. */
  public String text() {
    return text;
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int channels() {
    return channels;
  }

  /** The class-path resource name, such as {@code soko/testkit/audio/ja-16k-mono.wav}. */
  public String resourceName() {
    return FOLDER + fileName;
  }

  /** The WAV file's bytes. */
  public byte[] bytes() {
    try (InputStream in = open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test audio " + resourceName(), e);
    }
  }

  /** Copies the clip into {@code folder} (such as a {@code @TempDir}) and returns the new file. */
  public Path copyTo(Path folder) {
    Path target = folder.resolve(fileName);
    try (InputStream in = open()) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy test audio " + resourceName() + " to " + folder, e);
    }
  }

  /**
   * The clip as a file, copied once per JVM into a folder under {@code java.io.tmpdir} that is
   * removed when the JVM exits. Tests must not modify it; use {@link #copyTo} for that.
   */
  public Path path() {
    return Extracted.FILES[ordinal()];
  }

  private InputStream open() throws IOException {
    InputStream in = TestAudio.class.getClassLoader().getResourceAsStream(resourceName());
    if (in == null) {
      throw new IOException(resourceName() + " is not on the class path; depend on soko-testkit");
    }
    return in;
  }

  /** Lazy holder: the copies are made on first use of {@link #path()}. */
  private static final class Extracted {
    static final Path[] FILES = extractAll();

    private static Path[] extractAll() {
      try {
        Path folder = Files.createTempDirectory("soko-test-audio");
        folder.toFile().deleteOnExit();
        TestAudio[] clips = values();
        Path[] files = new Path[clips.length];
        for (TestAudio clip : clips) {
          files[clip.ordinal()] = clip.copyTo(folder);
          files[clip.ordinal()].toFile().deleteOnExit();
        }
        return files;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a folder for test audio", e);
      }
    }
  }
}
