package soko.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineOptions;

/**
 * The process's one ONNX Runtime environment, shared by every ONNX engine in this module (Silero
 * VAD, text translation). For engines only: it exposes ONNX Runtime types.
 *
 * <h2>Native libraries</h2>
 * Left to itself, ONNX Runtime unpacks its native libraries into a new {@code onnxruntime-java*}
 * folder under {@code java.io.tmpdir} on every start and leaves them there. Instead, the first
 * call to {@link #environment(Path)} unpacks them once into {@code
 * <scratch>/onnxruntime-<version>/<platform>/} (written to a temporary file and moved into place
 * atomically, so a present file is complete; compared with the jar's copy before use) and points
 * ONNX Runtime at that folder through its {@value #NATIVE_PATH_PROPERTY} system property, unless
 * the host application has already set that property. The libraries can be loaded once per
 * process, so the first caller's scratch folder wins; later calls reuse the loaded runtime. On a
 * platform the jar has no libraries for, ONNX Runtime's own loading is used unchanged.
 *
 * <h2>Telemetry</h2>
 * Before ONNX Runtime's native library loads, {@code ORT_DISABLE_TELEMETRY=1} is put into the
 * process's C environment unless the variable is already set, so that ONNX Runtime writes no
 * device id under {@code ~/.cache/Microsoft} and queues no usage events, whether or not the app's
 * launcher set the variable. This works only when Soko is the first to load ONNX Runtime in the
 * process, and needs native access for this module ({@code --enable-native-access}). {@link
 * #probe()} reports the value ONNX Runtime saw as {@code telemetry}.
 *
 * <h2>Exit</h2>
 * ONNX Runtime's Java binding frees the native environment in a shutdown hook of its own, which
 * crashed a JVM that exited while another thread was loading a model. Right after loading, the
 * environment gets one more native reference that is never released ({@link
 * OrtEnvironmentPin}), so that hook no longer frees it.
 *
 * <p>Thread-safe.
 */
public final class OrtRuntime {
  /** ONNX Runtime's own system property naming a folder that holds its native libraries. */
  public static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
  private static final String LIBRARY = "onnxruntime";
  private static final String JNI_LIBRARY = "onnxruntime4j_jni";

  private static final Object LOCK = new Object();
  private static volatile @Nullable OrtEnvironment environment;
  private static volatile OrtEnvironmentPin.Outcome pin = OrtEnvironmentPin.Outcome.UNAVAILABLE;

  private OrtRuntime() {}

  /**
   * The version of ONNX Runtime this module was built with, read from the ONNX Runtime jar
   * without loading native code, such as {@code 1.29.0}. After loading, {@link
   * #environment(Path)} checks that the native library reports the same version.
   */
  public static String version() {
    return soko.JarVersion.of(OrtEnvironment.class).orElse("unknown");
  }


  /**
   * The shared environment, loading the native libraries on first use.
   *
   * @param scratch a private folder the libraries may be unpacked into (see the class comment)
   * @throws EngineCrashedException when the native libraries cannot be unpacked or loaded
   */
  public static OrtEnvironment environment(Path scratch) throws EngineCrashedException {
    OrtEnvironment env = environment;
    if (env != null) {
      return env;
    }
    synchronized (LOCK) {
      if (environment == null) {
        environment = load(Optional.of(scratch));
      }
      return environment;
    }
  }

  /**
   * Whether the native environment outlives ONNX Runtime's own shutdown hook (see {@link
   * OrtEnvironmentPin}); false before the libraries are loaded.
   */
  static boolean pinned() {
    return pin == OrtEnvironmentPin.Outcome.PINNED;
  }

  /** Whether the native libraries are loaded in this process. */
  public static boolean loaded() {
    return environment != null;
  }

  /**
   * Session options for one model: {@code options.threads()} intra-op threads, sequential
   * execution, all graph optimisations, and worker threads that sleep rather than spin between
   * runs (engines here run many small inferences on a shared machine). The caller closes them.
   */
  public static OrtSession.SessionOptions sessionOptions(EngineOptions options) throws OrtException {
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    try {
      o.setIntraOpNumThreads(options.threads());
      o.setInterOpNumThreads(1);
      o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.addConfigEntry("session.intra_op.allow_spinning", "0");
      o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      return o;
    } catch (OrtException | RuntimeException e) {
      o.close();
      throw e;
    }
  }

  /**
   * What ONNX Runtime offers on this machine: {@code version}, {@code executionProviders}
   * (such as {@code CPU}) and {@code telemetry} (whether ONNX Runtime's usage telemetry is off). Loads the native libraries with ONNX Runtime's own unpacking when no
   * engine has loaded them yet; on failure, {@code error} says why.
   */
  public static Map<String, String> probe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("version", version());
    try {
      if (environment == null) {
        synchronized (LOCK) {
          if (environment == null) {
            environment = load(Optional.empty());
          }
        }
      }
      out.put("executionProviders", OrtEnvironment.getAvailableProviders().stream()
          .map(OrtRuntime::providerName).collect(Collectors.joining(", ")));
      out.put("telemetry", OrtTelemetry.describe(OrtTelemetry.current()));
    } catch (EngineCrashedException | RuntimeException | LinkageError e) {
      out.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return Map.copyOf(out);
  }

  private static String providerName(OrtProvider p) {
    String n = p.getName();
    return n.endsWith("ExecutionProvider") ? n.substring(0, n.length() - "ExecutionProvider".length()) : n;
  }

  private static OrtEnvironment load(Optional<Path> scratch) throws EngineCrashedException {
    OrtTelemetry.disable();
    if (scratch.isPresent() && System.getProperty(NATIVE_PATH_PROPERTY) == null) {
      Optional<Path> folder = unpack(scratch.get());
      folder.ifPresent(f -> System.setProperty(NATIVE_PATH_PROPERTY, f.toString()));
    }
    OrtEnvironment env;
    try {
      env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "soko");
    } catch (RuntimeException | LinkageError e) {
      throw new EngineCrashedException("ONNX Runtime " + version() + " could not load its native library on this machine ("
          + e.getMessage() + "); VAD and ONNX translation models cannot run here", e);
    }
    String loaded = env.getVersion();
    if (!loaded.equals(version()) && !version().equals("unknown")) {
      throw new EngineCrashedException("the ONNX Runtime native library is version " + loaded + " but its Java binding is "
          + version() + "; remove " + NATIVE_PATH_PROPERTY + " or point it at the " + version() + " libraries");
    }
    pin = OrtEnvironmentPin.pin(Optional.ofNullable(System.getProperty(NATIVE_PATH_PROPERTY)).map(Path::of));
    return env;
  }

  /**
   * Unpacks this platform's libraries from the ONNX Runtime jar into the scratch folder.
   *
   * @return the folder, or empty when the jar has no libraries for this platform
   */
  static Optional<Path> unpack(Path scratch) throws EngineCrashedException {
    Optional<String> platform = platform();
    if (platform.isEmpty()) {
      return Optional.empty();
    }
    String resourceFolder = "ai/onnxruntime/native/" + platform.get() + "/";
    List<String> names = List.of(System.mapLibraryName(LIBRARY), System.mapLibraryName(JNI_LIBRARY));
    ClassLoader loader = OrtEnvironment.class.getClassLoader();
    if (names.stream().anyMatch(n -> loader.getResource(resourceFolder + n) == null)) {
      return Optional.empty();
    }
    Path folder = scratch.resolve("onnxruntime-" + version()).resolve(platform.get());
    try {
      Files.createDirectories(folder);
      for (String name : names) {
        Path target = folder.resolve(name);
        if (!Files.exists(target) || !sameContent(loader, resourceFolder + name, target)) {
          copyAtomically(loader, resourceFolder + name, target);
        }
      }
      return Optional.of(folder);
    } catch (IOException e) {
      throw new EngineCrashedException("cannot unpack the ONNX Runtime native libraries into " + folder + " ("
          + e.getMessage() + "); check that the folder is writable and the disk is not full", e);
    }
  }

  private static void copyAtomically(ClassLoader loader, String resource, Path target) throws IOException {
    Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
    try {
      try (InputStream in = open(loader, resource); var out = java.nio.channels.FileChannel.open(temp,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
        in.transferTo(java.nio.channels.Channels.newOutputStream(out));
        out.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean sameContent(ClassLoader loader, String resource, Path file) throws IOException {
    try (InputStream a = open(loader, resource); InputStream b = Files.newInputStream(file)) {
      byte[] x = new byte[1 << 16];
      byte[] y = new byte[1 << 16];
      while (true) {
        int n = a.readNBytes(x, 0, x.length);
        int m = b.readNBytes(y, 0, n == 0 ? 1 : n);
        if (n != m || !Arrays.equals(x, 0, n, y, 0, m)) {
          return false;
        }
        if (n == 0) {
          return true;
        }
      }
    }
  }

  private static InputStream open(ClassLoader loader, String resource) throws IOException {
    InputStream in = loader.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException(resource + " is missing from the ONNX Runtime jar");
    }
    return in;
  }

  /** ONNX Runtime's name for this platform's library folder, such as {@code linux-x64}. */
  static Optional<String> platform() {
    // The JVM's own description of the machine, not a user setting.
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
        : os.contains("win") ? "win" : "";
    String a = switch (arch) {
      case "amd64", "x86_64" -> "x64";
      case "aarch64", "arm64" -> "aarch64";
      default -> "";
    };
    return o.isEmpty() || a.isEmpty() ? Optional.empty() : Optional.of(o + "-" + a);
  }
}
