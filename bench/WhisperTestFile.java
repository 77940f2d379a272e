import java.nio.file.Files;
import java.nio.file.Path;
import soko.testkit.ggml.WhisperTestModel;

/**
 * Writes the whisper.cpp test model of soko-testkit (a valid ggml header and vocabulary, no
 * tensors: whisper.cpp runs its whole pipeline on it and recognises nothing) to the given file, for
 * benchmarks that need a recogniser installed. Usage: {@code java -cp soko-testkit.jar
 * bench/WhisperTestFile.java OUT.bin}.
 */
public class WhisperTestFile {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    WhisperTestModel.tinyMultilingual().writeTo(out);
  }
}
