import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Which HTTP stack moves a large download fastest, with the same work around it that Soko's
 * downloader does: every byte written to a file at its offset and hashed (SHA-256) on a second
 * thread while the next buffer arrives, the file fsynced at the end. Run by bench/http-stack.sh
 * (it starts nginx on loopback); one process per measurement, modes alternating.
 *
 * <pre>
 * java bench/HttpStackBench.java MODE URL OUT_FILE
 *   MODE: urlconnection | httpclient-stream | httpclient-subscriber | socket | connector
 *   (connector is Soko's own soko.acquisition.Connector: soko-core's classes on the class path)
 * </pre>
 *
 * Prints "MODE seconds MiB/s sha256 cpu-seconds": wall time, and the CPU time of the whole process
 * (every thread: the stack's, the hashing thread's, the JVM's), which a loaded machine disturbs
 * far less than the wall time.
 */
public class HttpStackBench {
  static final int BUF = 1 << 20;

  /** Writes buffers to the file and hands them to a hashing thread; three buffers in flight. */
  static final class Sink implements AutoCloseable {
    final FileChannel out;
    final MessageDigest md;
    final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(3);
    final BlockingQueue<Object[]> full = new LinkedBlockingQueue<>();
    final Thread hasher;
    long position;

    Sink(Path file) throws Exception {
      out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      md = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < 2; i++) {
        free.add(new byte[BUF]);
      }
      hasher = Thread.ofPlatform().start(() -> {
        try {
          while (true) {
            Object[] c = full.take();
            byte[] b = (byte[]) c[0];
            int n = (Integer) c[1];
            if (n < 0) {
              return;
            }
            for (int off = 0; off < n; off += 65536) {
              md.update(b, off, Math.min(65536, n - off));
            }
            free.add(b);
          }
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    /** Writes n bytes of b and returns an empty buffer to fill next. */
    byte[] handOff(byte[] b, int n) throws Exception {
      ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
      while (bb.hasRemaining()) {
        position += out.write(bb, position);
      }
      full.put(new Object[] {b, n});
      return free.take();
    }

    String finish() throws Exception {
      full.put(new Object[] {null, -1});
      hasher.join();
      out.force(true);
      return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    URI url = URI.create(args[1]);
    Path file = Path.of(args[2]);
    long t0 = System.nanoTime();
    String sha;
    long bytes;
    try (Sink sink = new Sink(file)) {
      switch (mode) {
        case "urlconnection" -> urlConnection(url, sink);
        case "httpclient-stream" -> httpClientStream(url, sink);
        case "httpclient-subscriber" -> httpClientSubscriber(url, sink);
        case "socket" -> socket(url, sink);
        case "connector" -> connector(url, sink);
        default -> throw new IllegalArgumentException(mode);
      }
      bytes = sink.position;
      sha = sink.finish();
    }
    double s = (System.nanoTime() - t0) / 1e9;
    double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    System.out.printf("%s %.3f %.0f %s %.3f%n", mode, s, bytes / 1048576.0 / s, sha, cpu);
    Files.deleteIfExists(file);
  }

  static void pump(InputStream in, Sink sink) throws Exception {
    byte[] b = new byte[BUF];
    while (true) {
      int got = 0;
      int n = 0;
      while (got < BUF && (n = in.read(b, got, BUF - got)) > 0) {
        got += n;
      }
      if (got > 0) {
        b = sink.handOff(b, got);
      }
      if (n < 0) {
        return;
      }
    }
  }

  static void urlConnection(URI url, Sink sink) throws Exception {
    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
    c.setUseCaches(false);
    try (InputStream in = c.getInputStream()) {
      pump(in, sink);
    }
  }

  static void httpClientStream(URI url, Sink sink) throws Exception {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        pump(in, sink);
      }
    }
  }

  /** The buffers as HttpClient delivers them, copied into 1 MiB chunks on the caller's thread. */
  static void httpClientSubscriber(URI url, Sink sink) throws Exception {
    BlockingQueue<List<ByteBuffer>> q = new LinkedBlockingQueue<>();
    List<ByteBuffer> end = List.of();
    Flow.Subscription[] sub = new Flow.Subscription[1];
    HttpResponse.BodySubscriber<Void> s = new HttpResponse.BodySubscriber<>() {
      final CompletableFuture<Void> done = new CompletableFuture<>();

      @Override
      public CompletionStage<Void> getBody() {
        return done;
      }

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        sub[0] = subscription;
        subscription.request(64);
      }

      @Override
      public void onNext(List<ByteBuffer> item) {
        q.add(item);
      }

      @Override
      public void onError(Throwable throwable) {
        q.add(end);
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        q.add(end);
        done.complete(null);
      }
    };
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      client.sendAsync(HttpRequest.newBuilder(url).build(), info -> s);
      byte[] b = new byte[BUF];
      int got = 0;
      while (true) {
        List<ByteBuffer> item = q.take();
        if (item == end) {
          break;
        }
        for (ByteBuffer bb : item) {
          while (bb.hasRemaining()) {
            int n = Math.min(bb.remaining(), BUF - got);
            bb.get(b, got, n);
            got += n;
            if (got == BUF) {
              b = sink.handOff(b, got);
              got = 0;
            }
          }
        }
        sub[0].request(1);
      }
      if (got > 0) {
        sink.handOff(b, got);
      }
      s.getBody().toCompletableFuture().join();
    }
  }

  /** Soko's connector, as the downloader uses it (reflection keeps this file compilable without soko-core). */
  static void connector(URI url, Sink sink) throws Exception {
    Class<?> settings = Class.forName("soko.acquisition.HttpSettings");
    Object defaults = settings.getField("DEFAULTS").get(null);
    Object connector = Class.forName("soko.acquisition.Connector").getConstructor(settings).newInstance(defaults);
    Class<?> request = Class.forName("soko.acquisition.HttpRequest");
    Object get = request.getMethod("get", URI.class).invoke(null, url);
    Object response = connector.getClass().getMethod("send", request).invoke(connector, get);
    try (AutoCloseable r = (AutoCloseable) response) {
      pump((InputStream) response.getClass().getMethod("body").invoke(response), sink);
    }
  }

  /** HTTP/1.1 on a plain socket: one request, Content-Length body, read straight into the buffers. */
  static void socket(URI url, Sink sink) throws Exception {
    try (Socket so = new Socket()) {
      so.connect(new InetSocketAddress(url.getHost(), url.getPort()));
      OutputStream o = so.getOutputStream();
      o.write(("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
          + "\r\nConnection: close\r\nUser-Agent: bench\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      o.flush();
      InputStream in = so.getInputStream();
      byte[] head = new byte[16384];
      int h = 0;
      int matched = 0;
      while (matched < 4) {
        int c = in.read();
        head[h++] = (byte) c;
        matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
      }
      pump(in, sink);
    }
  }
}
