package soko.engine.whisper;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The child JVM's main class: serves {@link Protocol} on stdin and stdout with one whisper.cpp
 * model. Everything it or whisper.cpp logs goes to stderr, which the host sends to a log file.
 * It exits with status 0 when stdin closes; whisper.cpp may also end it with an abort.
 *
 * <p>Uses JDK and whisper-jni classes only, so its class path is this module and whisper-jni.
 */
final class WhisperChild {
  private final DataInputStream in;
  private final DataOutputStream out;
  private @Nullable NativeWhisper model;

  private WhisperChild(DataInputStream in, DataOutputStream out) {
    this.in = in;
    this.out = out;
  }

  static void main(String[] args) throws IOException {
    DataOutputStream protocol = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    // Stray Java prints must not land between frames.
    System.setOut(System.err);
    DataInputStream requests = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
    new WhisperChild(requests, protocol).serve();
  }

  private void serve() throws IOException {
    String info;
    try {
      info = NativeWhisper.loadLibrary();
    } catch (IOException | LinkageError e) {
      new Protocol.Builder(Protocol.Kind.FAILED).string("could not load its native library: " + e).writeTo(out);
      System.exit(1);
      return;
    }
    new Protocol.Builder(Protocol.Kind.READY).int32(Protocol.VERSION).string(info).writeTo(out);
    System.err.println("soko whisper child ready: " + info);
    while (true) {
      Protocol.Frame request;
      try {
        request = Protocol.read(in);
      } catch (EOFException e) {
        break;
      }
      switch (request.kind()) {
        case LOAD -> load(Path.of(request.string()));
        case TRANSCRIBE -> transcribe(request);
        default -> throw new IOException("unexpected request " + request.kind());
      }
    }
    if (model != null) {
      model.close();
    }
  }

  private void load(Path file) throws IOException {
    if (model != null) {
      model.close();
      model = null;
    }
    try {
      GgmlHeader header = GgmlHeader.read(file);
      System.err.println("soko whisper child: header of " + file + " is " + header);
    } catch (GgmlFormatException e) {
      System.err.println("soko whisper child: refusing " + file + ": " + e.getMessage());
      new Protocol.Builder(Protocol.Kind.REFUSED).string(e.getMessage()).writeTo(out);
      return;
    } catch (IOException e) {
      new Protocol.Builder(Protocol.Kind.FAILED).string(ModelRef.UNREADABLE + ": " + e).writeTo(out);
      return;
    }
    long start = System.nanoTime();
    try {
      model = NativeWhisper.load(file);
    } catch (IOException e) {
      new Protocol.Builder(Protocol.Kind.FAILED).string(String.valueOf(e.getMessage())).writeTo(out);
      return;
    }
    new Protocol.Builder(Protocol.Kind.LOADED).int64(System.nanoTime() - start).writeTo(out);
  }

  private void transcribe(Protocol.Frame request) throws IOException {
    String language = request.string();
    boolean translate = request.flag();
    int threads = request.int32();
    float[] samples = request.floats();
    NativeWhisper m = model;
    if (m == null) {
      new Protocol.Builder(Protocol.Kind.FAILED).string("has no model loaded").writeTo(out);
      return;
    }
    long start = System.nanoTime();
    List<TimedText> segments;
    try {
      segments = m.transcribe(samples, language, translate, threads);
    } catch (IOException e) {
      new Protocol.Builder(Protocol.Kind.FAILED).string(String.valueOf(e.getMessage())).writeTo(out);
      return;
    }
    new Protocol.Builder(Protocol.Kind.SEGMENTS).int64(System.nanoTime() - start).segments(segments).writeTo(out);
  }
}
