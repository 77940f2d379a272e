package soko.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.nio.file.Path;

/**
 * The child JVM of {@link OrtTelemetryTest}: loads ONNX Runtime either through {@link OrtRuntime}
 * ({@code soko SCRATCH}) or directly ({@code direct}), then prints what the process's C
 * environment holds for ORT_DISABLE_TELEMETRY and what {@code System.getenv} saw at start-up.
 */
final class TelemetryChild {
  private TelemetryChild() {}

  public static void main(String[] args) throws Exception {
    String atStart = String.valueOf(System.getenv(OrtTelemetry.VARIABLE));
    String version = switch (args[0]) {
      case "soko" -> OrtRuntime.environment(Path.of(args[1])).getVersion();
      case "direct" -> OrtEnvironment.getEnvironment().getVersion();
      default -> throw new IllegalArgumentException("soko SCRATCH | direct, not " + args[0]);
    };
    System.out.println("version=" + version);
    System.out.println("atStart=" + atStart);
    System.out.println("now=" + OrtTelemetry.current().orElse("null"));
  }
}
