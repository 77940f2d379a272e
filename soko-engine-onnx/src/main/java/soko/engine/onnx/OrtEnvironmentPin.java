package soko.engine.onnx;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps ONNX Runtime's native environment alive until the process ends, so that a JVM exiting
 * while another thread creates or runs a session does not crash.
 *
 * <p>ONNX Runtime's Java binding registers a shutdown hook ({@code OrtEnvironment$OrtEnvCloser})
 * that calls the C API's {@code ReleaseEnv} on the process's one {@code OrtEnv}. The JVM runs
 * shutdown hooks while other threads keep running, so a thread inside {@code
 * OrtSession.createSession} then uses a freed environment and the process dies of SIGSEGV with a
 * crash log in its working folder. A hook of Soko's own cannot order itself before that one (the
 * JVM starts all hooks at once), and the hook's thread is not reachable to remove.
 *
 * <p>The C environment is reference counted: every {@code CreateEnv} returns the one instance
 * and adds a reference, every {@code ReleaseEnv} drops one, and the instance is freed only when
 * the count reaches zero. {@link #pin()} calls {@code CreateEnv} once more through the FFM API
 * and never releases that reference, so the hook's {@code ReleaseEnv} leaves the environment in
 * place; the operating system reclaims it when the process ends. The C API is a stable ABI:
 * {@code OrtGetApiBase()->GetApi(1)} returns the function table whose fourth entry has been
 * {@code CreateEnv(OrtLoggingLevel, const char* logid, OrtEnv** out)} since version 1.
 *
 * <p>Called once, under {@link OrtRuntime}'s lock, right after the Java binding created its
 * environment and before any session exists. Needs native access for this module, like {@link
 * OrtTelemetry}.
 */
@SuppressWarnings("restricted") // FFM downcalls into ONNX Runtime; the launchers and surefire grant native access
final class OrtEnvironmentPin {
  /** The C API version asked for: the oldest, whose table every later one extends. */
  private static final int API_VERSION = 1;
  /** Index of {@code CreateEnv} in {@code OrtApi}: after CreateStatus, GetErrorCode, GetErrorMessage. */
  private static final int CREATE_ENV = 3;
  /** {@code ORT_LOGGING_LEVEL_ERROR}; ignored by ONNX Runtime once the environment exists. */
  private static final int LOGGING_LEVEL_ERROR = 3;

  private OrtEnvironmentPin() {}

  /** What {@link #pin()} did. */
  enum Outcome {
    /** One more reference to the environment is held until the process ends. */
    PINNED,
    /**
     * The native library or its entry point was not found, native access is denied, or {@code
     * CreateEnv} failed: an exit during a load may crash as before.
     */
    UNAVAILABLE
  }

  /**
   * Adds one reference to ONNX Runtime's environment that is never released. Never throws: a
   * missing pin only brings back the crash at exit, it is no reason to refuse to run.
   *
   * @param nativeFolder the folder ONNX Runtime's libraries were loaded from, when known
   */
  static Outcome pin(Optional<Path> nativeFolder) {
    try {
      Optional<MemorySegment> getApiBase = find(nativeFolder);
      if (getApiBase.isEmpty()) {
        return Outcome.UNAVAILABLE;
      }
      Linker linker = Linker.nativeLinker();
      MethodHandle apiBase = linker.downcallHandle(getApiBase.get(), FunctionDescriptor.of(ADDRESS));
      // OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
      MemorySegment base = ((MemorySegment) apiBase.invokeExact()).reinterpret(2 * ADDRESS.byteSize());
      MemorySegment getApi = base.get(ADDRESS, 0);
      MemorySegment api = (MemorySegment) linker.downcallHandle(getApi, FunctionDescriptor.of(ADDRESS, JAVA_INT))
          .invokeExact(API_VERSION);
      if (api.equals(MemorySegment.NULL)) {
        return Outcome.UNAVAILABLE;
      }
      MemorySegment table = api.reinterpret((CREATE_ENV + 1) * ADDRESS.byteSize());
      MemorySegment createEnv = table.getAtIndex(ADDRESS, CREATE_ENV);
      MethodHandle create = linker.downcallHandle(createEnv, FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment out = arena.allocate(ADDRESS);
        // ONNX Runtime copies the log id; the returned OrtEnv* is the shared instance, kept by not releasing it.
        MemorySegment status = (MemorySegment) create.invokeExact(LOGGING_LEVEL_ERROR, arena.allocateFrom("soko-pin"), out);
        return status.equals(MemorySegment.NULL) && !out.get(ADDRESS, 0).equals(MemorySegment.NULL)
            ? Outcome.PINNED : Outcome.UNAVAILABLE;
      }
    } catch (Throwable e) { // IllegalCallerException without native access, LinkageError, anything the downcall throws
      return Outcome.UNAVAILABLE;
    }
  }

  /**
   * {@code OrtGetApiBase} of the ONNX Runtime library this process loaded: among the libraries
   * of this class loader (the binding loads them with {@code System.load}), else from the folder
   * they were loaded from (opening an already loaded library again returns the same one).
   */
  private static Optional<MemorySegment> find(Optional<Path> nativeFolder) {
    Optional<MemorySegment> symbol = SymbolLookup.loaderLookup().find("OrtGetApiBase");
    if (symbol.isPresent() || nativeFolder.isEmpty()) {
      return symbol;
    }
    Path library = nativeFolder.get().resolve(System.mapLibraryName("onnxruntime"));
    if (!Files.isRegularFile(library)) {
      return Optional.empty();
    }
    return SymbolLookup.libraryLookup(library, Arena.global()).find("OrtGetApiBase");
  }
}
