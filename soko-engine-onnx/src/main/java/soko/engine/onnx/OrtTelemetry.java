package soko.engine.onnx;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Turns ONNX Runtime's usage telemetry off in this process before its native library loads.
 *
 * <p>ONNX Runtime 1.29's official Linux build, left alone, creates a device id and an event
 * database under {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime} and queues usage events
 * for upload, as soon as the native library loads. It skips all of it when the process
 * environment carries {@value #VARIABLE}; {@code OrtEnvironment.setTelemetry(false)} comes too
 * late, after the environment exists. A Java program cannot change its environment through
 * {@code System.getenv}, which is a copy taken at start-up, so this calls the C library's {@code
 * setenv} through the FFM API: ONNX Runtime reads the C library's environment.
 *
 * <p>An existing value is kept ({@code setenv} with {@code overwrite = 0}): a process started
 * with {@code ORT_DISABLE_TELEMETRY=0} has chosen. Where the C library has no {@code setenv}
 * (Windows), nothing happens and the launcher must set the variable.
 *
 * <p>Called once, under {@link OrtRuntime}'s lock, before the first touch of ONNX Runtime. The C
 * library's {@code setenv} is not safe against a concurrent {@code getenv} in another native
 * thread; at that point no ONNX Runtime thread exists yet.
 */
@SuppressWarnings("restricted") // setenv through FFM; the launchers and surefire grant native access
final class OrtTelemetry {
  /** The environment variable ONNX Runtime reads: {@code 1} turns telemetry off, {@code 0} leaves it on. */
  static final String VARIABLE = "ORT_DISABLE_TELEMETRY";

  private OrtTelemetry() {}

  /** What {@link #disable()} did. */
  enum Outcome {
    /** The variable was set to {@code 1} in this process's C environment. */
    SET,
    /** The variable was already in the C environment, with this value kept. */
    KEPT,
    /** This C library has no {@code setenv}, or calling it failed: the launcher must set the variable. */
    UNAVAILABLE
  }

  /**
   * Sets {@value #VARIABLE}{@code =1} in the process's C environment unless it is already set.
   * Never throws: telemetry is an outbound courtesy, not a reason to refuse to run.
   */
  static Outcome disable() {
    try {
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> getenv = linker.defaultLookup().find("getenv");
      Optional<MemorySegment> setenv = linker.defaultLookup().find("setenv");
      if (getenv.isEmpty() || setenv.isEmpty()) {
        return Outcome.UNAVAILABLE;
      }
      MethodHandle get = linker.downcallHandle(getenv.get(), FunctionDescriptor.of(ADDRESS, ADDRESS));
      MethodHandle set = linker.downcallHandle(setenv.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment name = arena.allocateFrom(VARIABLE);
        MemorySegment existing = (MemorySegment) get.invokeExact(name);
        if (!existing.equals(MemorySegment.NULL)) {
          return Outcome.KEPT;
        }
        // setenv copies both strings, so the arena may free them afterwards.
        int rc = (int) set.invokeExact(name, arena.allocateFrom("1"), 0);
        return rc == 0 ? Outcome.SET : Outcome.UNAVAILABLE;
      }
    } catch (Throwable e) { // IllegalCallerException without native access, LinkageError, anything the downcall throws
      return Outcome.UNAVAILABLE;
    }
  }

  /**
   * The value of {@value #VARIABLE} in the process's C environment (not {@code System.getenv},
   * which is a copy taken at start-up), or empty when unset or unreadable.
   */
  static Optional<String> current() {
    try {
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> getenv = linker.defaultLookup().find("getenv");
      if (getenv.isEmpty()) {
        return Optional.empty();
      }
      MethodHandle get = linker.downcallHandle(getenv.get(), FunctionDescriptor.of(ADDRESS, ADDRESS));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment value = (MemorySegment) get.invokeExact(arena.allocateFrom(VARIABLE));
        return value.equals(MemorySegment.NULL) ? Optional.empty()
            : Optional.of(value.reinterpret(Long.MAX_VALUE).getString(0));
      }
    } catch (Throwable e) {
      return Optional.empty();
    }
  }

  /** How {@link OrtRuntime#probe()} shows the variable's value, such as {@code off (ORT_DISABLE_TELEMETRY=1)}. */
  static String describe(Optional<String> value) {
    return value.map(v -> switch (v) {
      case "1" -> "off (" + VARIABLE + "=1)";
      case "0" -> "on (" + VARIABLE + "=0)";
      default -> VARIABLE + "=" + v;
    }).orElse("on (" + VARIABLE + " is not set)");
  }
}
