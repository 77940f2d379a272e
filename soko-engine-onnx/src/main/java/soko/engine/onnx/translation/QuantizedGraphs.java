package soko.engine.onnx.translation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells whether ONNX graphs quantize activations at run time ({@code DynamicQuantizeLinear}, as
 * ONNX Runtime's dynamic int8 quantization writes them), by looking for the operator's name in the
 * files' bytes: a graph stores each node's operator type as plain text.
 *
 * <p>Such graphs pick their activation scales from the whole input tensor, so a sentence decoded in a
 * batch comes out differently from the same sentence decoded alone; the translator therefore decodes
 * them one sentence at a time.
 */
final class QuantizedGraphs {
  private static final byte[] OPERATOR = "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII);

  private QuantizedGraphs() {}

  static boolean quantizeActivations(List<Path> graphs) throws IOException {
    for (Path p : graphs) {
      if (contains(p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(Path file) throws IOException {
    byte[] buffer = new byte[1 << 20];
    int carry = 0;
    try (InputStream in = Files.newInputStream(file)) {
      while (true) {
        int n = in.read(buffer, carry, buffer.length - carry);
        if (n < 0) {
          return false;
        }
        int end = carry + n;
        if (indexOf(buffer, end) >= 0) {
          return true;
        }
        // Keep the tail, in case the name straddles two reads.
        carry = Math.min(OPERATOR.length - 1, end);
        System.arraycopy(buffer, end - carry, buffer, 0, carry);
      }
    }
  }

  private static int indexOf(byte[] data, int end) {
    outer:
    for (int i = 0; i + OPERATOR.length <= end; i++) {
      for (int j = 0; j < OPERATOR.length; j++) {
        if (data[i + j] != OPERATOR[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
