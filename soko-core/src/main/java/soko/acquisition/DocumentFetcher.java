package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches a small document of unknown hash, such as a signed catalog, from an https, http or
 * file URL, with a size cap and timeouts. Its contents are trusted only after the caller checks a
 * signature. Redirects are followed by hand (at most 5) and never from https to http.
 */
public final class DocumentFetcher {
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final String userAgent;

  public DocumentFetcher(DownloadSettings settings) {
    this.connectTimeout = settings.connectTimeout();
    this.readTimeout = settings.readTimeout();
    this.userAgent = settings.userAgent();
  }

  /**
   * @throws IOException with a one-line message naming the URL and what went wrong
   */
  public byte[] fetch(URI url, int maxBytes) throws IOException {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      Path p = Path.of(url);
      long size = Files.size(p);
      if (size > maxBytes) {
        throw new IOException(url + " is " + size + " bytes; a catalog is at most " + maxBytes + " bytes");
      }
      return Files.readAllBytes(p);
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IOException(url + ": only https:, http: and file: URLs can be fetched");
    }
    URI current = url;
    for (int hop = 0; hop <= 5; hop++) {
      HttpURLConnection c = (HttpURLConnection) current.toURL().openConnection();
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout((int) connectTimeout.toMillis());
      c.setReadTimeout((int) readTimeout.toMillis());
      c.setRequestProperty("User-Agent", userAgent);
      c.setUseCaches(false);
      try {
        int status = c.getResponseCode();
        if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
          URI next;
          try {
            next = current.resolve(c.getHeaderField("Location"));
          } catch (IllegalArgumentException e) {
            throw new IOException(url + " redirected to an invalid URL", e);
          }
          String to = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
          if (!to.equals("https") && !to.equals("http")) {
            throw new IOException(url + " redirected to a " + (to.isEmpty() ? "relative" : to + ":") + " URL, which is refused");
          }
          if (current.getScheme().equalsIgnoreCase("https") && !to.equals("https")) {
            throw new IOException(url + " redirected from https to " + to + ", which is refused");
          }
          if (next.getRawUserInfo() != null) {
            throw new IOException(url + " redirected to a URL with credentials in it, which is refused");
          }
          current = next;
          continue;
        }
        if (status != 200) {
          throw new IOException(current + " answered HTTP " + status);
        }
        long declared = c.getContentLengthLong();
        if (declared > maxBytes) {
          throw new IOException(current + " is " + declared + " bytes; a catalog is at most " + maxBytes + " bytes");
        }
        try (InputStream in = c.getInputStream()) {
          byte[] body = in.readNBytes(maxBytes + 1);
          if (body.length > maxBytes) {
            throw new IOException(current + " sent more than " + maxBytes + " bytes; a catalog is not that large");
          }
          return body;
        }
      } finally {
        c.disconnect();
      }
    }
    throw new IOException(url + " redirected more than 5 times");
  }
}
