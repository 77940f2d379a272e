package soko.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native environment gets the extra reference that keeps it alive past ONNX Runtime's own
 * shutdown hook; {@code vad.ExitDuringLoadTest} shows what it prevents.
 */
class OrtEnvironmentPinTest {
  @TempDir Path dir;

  @Test
  void loadingTheRuntimePinsTheNativeEnvironment() throws Exception {
    OrtRuntime.environment(dir);

    assertThat(OrtRuntime.pinned()).as("the C API's CreateEnv was found and called").isTrue();
  }

  @Test
  void aGivenFolderWithoutTheLibraryStillPinsTheLibraryAlreadyLoaded() throws Exception {
    OrtRuntime.environment(dir); // the library is loaded, so the class loader's lookup finds it first
    Path empty = Files.createDirectory(dir.resolve("empty"));

    assertThat(OrtEnvironmentPin.pin(Optional.of(empty))).isEqualTo(OrtEnvironmentPin.Outcome.PINNED);
  }
}
