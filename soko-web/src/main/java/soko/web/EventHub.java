package soko.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fans server-sent events out to the open {@code GET /api/events} streams. Each stream has a
 * bounded queue; a stream that falls {@value #QUEUE} events behind is dropped (the page reconnects
 * and reloads). Publishing never blocks. Closing the hub sends every stream a last {@code stopped}
 * event.
 */
final class EventHub implements AutoCloseable {
  static final int MAX_STREAMS = 16;
  private static final int QUEUE = 1024;
  private static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final String CLOSE = "\u0000close";
  private static final String STOPPED = "event: stopped\ndata: {}\n\n";

  private final CopyOnWriteArrayList<BlockingQueue<String>> streams = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Sends {@code event} with one line of JSON {@code data} to every open stream. */
  void publish(String event, String json) {
    String frame = "event: " + event + "\ndata: " + json.replace("\n", "").replace("\r", "") + "\n\n";
    for (BlockingQueue<String> q : streams) {
      if (!q.offer(frame)) {
        streams.remove(q);
        q.clear();
        q.offer(CLOSE);
      }
    }
  }

  /** Serves one stream until the client goes away or the hub closes. Runs on its own thread. */
  void stream(HttpExchange ex) throws IOException, Refusal {
    if (closed) {
      throw new Refusal(503, "closing", "the server is stopping");
    }
    if (streams.size() >= MAX_STREAMS) {
      throw new Refusal(503, "busy", "too many open event streams (" + MAX_STREAMS + "); close other Soko tabs");
    }
    BlockingQueue<String> q = new LinkedBlockingQueue<>(QUEUE);
    streams.add(q);
    try {
      ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write("retry: 1000\n: connected\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (!closed) {
        String frame = q.poll(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == CLOSE) {
          break;
        }
        out.write((frame == null ? ": keepalive\n\n" : frame).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.remove(q);
      ex.close();
    }
  }

  int openStreams() {
    return streams.size();
  }

  /**
   * Ends every stream with a {@code stopped} event, so the page can say at once that the server
   * is gone instead of trying to reconnect.
   */
  @Override
  public void close() {
    closed = true;
    for (BlockingQueue<String> q : streams) {
      q.clear();
      q.offer(STOPPED);
      q.offer(CLOSE);
    }
  }
}
