package soko.engine.whisper;

import io.github.givimad.whisperjni.WhisperJNI;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineException;
import soko.runtime.ModelUnavailableException;

/**
 * whisper.cpp in a child JVM that loads the model once and serves every call of the session, so
 * that an abort or crash in native code ends only the child. A call after the child died starts a
 * new one (and loads the model again).
 *
 * <p>Files, all in a private folder under the engine's scratch folder: {@code child.log} (the
 * child's stderr: whisper.cpp's log), {@code tmp/} (the child's java.io.tmpdir, where whisper-jni
 * unpacks its native libraries; emptied whenever a child ends) and any {@code hs_err_pid*.log} of a
 * crashed JVM. {@link #close()} removes the folder, unless a child died during the session, in
 * which case the log stays for diagnosis.
 *
 * <p>Not thread-safe except {@link #abort()}; the session serialises calls.
 */
final class ChildWhisper implements Transcriber {
  /** How long a child may take to exit after its stdin closes before it is killed. */
  private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

  private final ModelRef model;
  private final int threads;
  private final Duration startLimit;
  private final Path folder;
  private final Path log;
  private final ScheduledExecutorService watchdog;
  private volatile @Nullable Child child;
  private boolean died;
  private boolean started;

  /** A running child and its channel. */
  private record Child(Process process, DataInputStream in, DataOutputStream out) {}

  ChildWhisper(ModelRef model, int threads, Duration startLimit, Path scratch) throws EngineException {
    this.model = model;
    this.threads = threads;
    this.startLimit = startLimit;
    try {
      Files.createDirectories(scratch);
      this.folder = Files.createTempDirectory(scratch, "whisper-");
    } catch (IOException e) {
      throw new EngineCrashedException("cannot create a folder for whisper.cpp in " + scratch + " (" + e
          + "); check that the cache folder is writable", e);
    }
    this.log = folder.resolve("child.log");
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().daemon().name("whisper.cpp-watchdog-" + model.id()).factory());
    timer.setRemoveOnCancelPolicy(true);
    this.watchdog = timer;
  }

  /** The child's process while one runs; for tests and diagnostics. */
  Optional<ProcessHandle> process() {
    Child c = child;
    return c == null ? Optional.empty() : Optional.of(c.process().toHandle());
  }

  /** The child's stderr, whisper.cpp's log. */
  Path log() {
    return log;
  }

  @Override
  public void start() throws EngineException {
    launch();
    started = true;
  }

  @Override
  public List<TimedText> transcribe(float[] samples, String language, boolean translate, Duration limit)
      throws EngineException {
    Child c = child;
    if (c == null || !c.process().isAlive()) {
      if (c != null) {
        // It died between calls: report that, so the caller knows a restart happened.
        throw died(c, "between calls", new IOException("the child process is gone"), false);
      }
      c = launch();
    }
    Protocol.Builder request = new Protocol.Builder(Protocol.Kind.TRANSCRIBE, 64 + Float.BYTES * samples.length)
        .string(language).flag(translate).int32(threads).floats(samples);
    String doing = String.format("while transcribing %.1f s of audio", samples.length / 16_000.0);
    Protocol.Frame reply = exchange(c, request, limit, doing);
    try {
      return switch (reply.kind()) {
        case SEGMENTS -> {
          reply.int64();
          yield reply.segments();
        }
        case FAILED -> throw new EngineCrashedException(
            "whisper.cpp running model " + model.id() + " " + reply.string() + "; see " + log);
        default -> throw new IOException("unexpected reply " + reply.kind());
      };
    } catch (IOException e) {
      throw died(kill(c), doing, e, false);
    }
  }

  /** Starts a child, waits for it to be ready and has it load the model. */
  private Child launch() throws EngineException {
    // A relaunch after a crash opens the model file again: only if it is still what was verified.
    model.requireUnchanged();
    Child c = spawn();
    child = c;
    try {
      Protocol.Frame ready = exchange(c, null, startLimit, "while starting");
      if (ready.kind() == Protocol.Kind.FAILED) {
        String why = ready.string();
        stop(c);
        throw new EngineCrashedException("whisper.cpp " + why + "; see " + log);
      }
      if (ready.kind() != Protocol.Kind.READY || ready.int32() != Protocol.VERSION) {
        throw new IOException("unexpected first reply " + ready.kind());
      }
      unchangedOrStop(c); // again just before the child opens the file (starting it took a while)
      Protocol.Frame loaded = exchange(c, new Protocol.Builder(Protocol.Kind.LOAD).string(model.file().toString()),
          startLimit, "while loading");
      switch (loaded.kind()) {
        case LOADED -> {
          unchangedOrStop(c); // and after: a change while it loaded means it may have read other bytes
          return c;
        }
        case REFUSED -> {
          String why = loaded.string();
          stop(c);
          throw new ModelUnavailableException(model.refusal(why));
        }
        case FAILED -> {
          String why = loaded.string();
          stop(c);
          throw new ModelUnavailableException(model.loadFailure(why));
        }
        default -> throw new IOException("unexpected reply " + loaded.kind());
      }
    } catch (IOException e) {
      throw died(kill(c), "while starting", e, false);
    }
  }

  /** Stops the child and refuses when the model's files are no longer the verified ones. */
  private void unchangedOrStop(Child c) throws ModelUnavailableException {
    try {
      model.requireUnchanged();
    } catch (ModelUnavailableException e) {
      stop(c);
      child = null;
      throw e;
    }
  }

  private Child spawn() throws EngineException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow(() -> new EngineCrashedException(
        "cannot find this JVM's java executable to run whisper.cpp in a child process; turn isolation off to run it in-process")));
    Path tmp = folder.resolve("tmp");
    command.addAll(List.of(
        "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-XX:-CreateCoredumpOnCrash",
        "-XX:-UsePerfData", // no /tmp/hsperfdata_<user>/<pid>: nothing is written outside Soko's folders
        "-XX:ErrorFile=" + folder.resolve("hs_err_pid%p.log"),
        "-Djava.io.tmpdir=" + tmp,
        "-cp", classPath(),
        WhisperChild.class.getName()));
    try {
      deleteTree(tmp);
      Files.createDirectories(tmp);
      Process p = new ProcessBuilder(command)
          .directory(folder.toFile())
          .redirectError(Redirect.appendTo(log.toFile()))
          .start();
      return new Child(p,
          new DataInputStream(new BufferedInputStream(p.getInputStream(), 1 << 16)),
          new DataOutputStream(new BufferedOutputStream(p.getOutputStream(), 1 << 16)));
    } catch (IOException | UncheckedIOException e) {
      throw new EngineCrashedException("cannot start a child process for whisper.cpp (" + e + ")", e);
    }
  }

  /** This module and whisper-jni, from where their classes were loaded. */
  static String classPath() throws EngineException {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> c : List.of(WhisperChild.class, WhisperJNI.class)) {
      CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        throw new EngineCrashedException("cannot tell where " + c.getName()
            + " was loaded from, so whisper.cpp cannot run in a child process; turn isolation off");
      }
      try {
        entries.add(Path.of(source.getLocation().toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new EngineCrashedException("cannot use " + source.getLocation() + " as a class path entry for whisper.cpp's child process; turn isolation off", e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * Sends a request (if any) and reads one reply, killing the child when this takes longer than
   * {@code limit}.
   */
  private Protocol.Frame exchange(Child c, Protocol.@Nullable Builder request, Duration limit, String doing)
      throws EngineException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> alarm = watchdog.schedule(() -> {
      timedOut.set(true);
      c.process().destroyForcibly();
    }, limit.toNanos(), TimeUnit.NANOSECONDS);
    try {
      if (request != null) {
        request.writeTo(c.out());
      }
      return Protocol.read(c.in());
    } catch (IOException e) {
      alarm.cancel(false);
      if (timedOut.get()) {
        forget(kill(c));
        died = true;
        throw new EngineCrashedException("whisper.cpp running model " + model.id() + " took longer than " + human(limit)
            + " " + doing + " and was stopped; " + retry() + " (allow more time or give it shorter audio)", e);
      }
      throw died(kill(c), doing, e, true);
    } finally {
      alarm.cancel(false);
    }
  }

  /**
   * The exception for a child that stopped; forgets the child so the next call starts another.
   *
   * @param waitForExit whether the child may still be on its way out (a closed pipe comes before the exit status)
   */
  private EngineCrashedException died(Child c, String doing, Exception cause, boolean waitForExit) {
    Process p = c.process();
    if (waitForExit) {
      awaitExit(p, EXIT_GRACE);
    }
    if (p.isAlive()) {
      // The channel broke but the process lives on (corrupt frame): it is of no further use.
      kill(c);
    }
    forget(c);
    died = true;
    String status = p.isAlive() ? "it does not exit even when killed" : exitStatus(p.exitValue());
    return new EngineCrashedException("whisper.cpp running model " + model.id() + " stopped " + doing + " ("
        + status + "); " + retry() + "; if this repeats, verify or reinstall the model"
        + " (log: " + log + ")", cause);
  }

  /** What happens next: within a session the next call starts a new child; at open there is no session yet. */
  private String retry() {
    return started ? "the next call restarts it" : "opening the model again starts a new one";
  }

  static String exitStatus(int status) {
    // Java reports a process ended by signal N as 128 + N on Unix.
    String signal = switch (status - 128) {
      case 4 -> "SIGILL";
      case 6 -> "SIGABRT, an abort in whisper.cpp";
      case 7 -> "SIGBUS";
      case 8 -> "SIGFPE";
      case 9 -> "SIGKILL, killed";
      case 11 -> "SIGSEGV, a crash in native code";
      case 15 -> "SIGTERM";
      default -> "";
    };
    return "exit status " + status + (signal.isEmpty() ? "" : ": " + signal);
  }

  private static String human(Duration d) {
    return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  private Child kill(Child c) {
    c.process().destroyForcibly();
    awaitExit(c.process(), EXIT_GRACE);
    return c;
  }

  private static void awaitExit(Process p, Duration limit) {
    try {
      p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends a child politely: closing its stdin makes it free the model and exit. */
  private void stop(Child c) {
    try {
      c.out().close();
    } catch (IOException e) {
      // Already gone; the kill below makes sure.
    }
    awaitExit(c.process(), EXIT_GRACE);
    if (c.process().isAlive()) {
      kill(c);
    }
    forget(c);
  }

  private void forget(Child c) {
    if (child == c) {
      child = null;
    }
    try {
      c.in().close();
      c.out().close();
    } catch (IOException e) {
      // Pipes of an ended process.
    }
    try {
      deleteTree(folder.resolve("tmp"));
    } catch (IOException | UncheckedIOException e) {
      // Left for the next start or close to retry.
    }
  }

  @Override
  public void abort() {
    Child c = child;
    if (c != null) {
      c.process().destroyForcibly();
    }
  }

  @Override
  public void close() {
    Child c = child;
    if (c != null) {
      stop(c);
    }
    watchdog.shutdownNow();
    try {
      if (died) {
        deleteTree(folder.resolve("tmp"));
      } else {
        deleteTree(folder);
      }
    } catch (IOException | UncheckedIOException e) {
      // Scratch space: the cache cleaner removes what is left.
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
