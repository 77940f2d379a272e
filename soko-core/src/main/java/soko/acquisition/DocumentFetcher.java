package soko.acquisition;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Fetches a small document of unknown hash, such as a signed catalog, from an https, http or
 * file URL, with a size cap, through the {@link Connector} (its timeouts and {@code User-Agent})
 * and the one {@link Redirects} policy. Its contents are trusted only after the caller checks a
 * signature. Thread-safe.
 */
public final class DocumentFetcher {
  private final Connector connector;

  /**
   * Fetches through an existing connector (sharing its settings).
   *
   * @param connector the connector
   */
  public DocumentFetcher(Connector connector) {
    this.connector = connector;
  }

  /**
   * Fetches through a new connector made from {@code settings.http()}.
   *
   * @param settings the download settings; only their HTTP part is used
   */
  public DocumentFetcher(DownloadSettings settings) {
    this(new Connector(settings.http()));
  }

  /**
   * Fetches a document, following redirects by the {@link Redirects} policy.
   *
   * @param url an {@code https:}, {@code http:} or {@code file:} URL
   * @param maxBytes the largest document accepted, in bytes
   * @return the document's bytes, at most {@code maxBytes}; not yet trusted
   * @throws IOException with a one-line message naming the URL and what went wrong: another scheme,
   *     a refused redirect, a status other than 200, a document larger than {@code maxBytes}, or a
   *     network or file error
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
    HttpResponse r = switch (Redirects.follow(connector, HttpRequest.get(url), Optional.empty())) {
      case Redirects.Outcome.Answered a -> a.response();
      case Redirects.Outcome.Refused f -> throw new IOException(url + ": " + f.problem());
    };
    try (r) {
      if (r.status() != 200) {
        throw new IOException(r.uri() + " answered HTTP " + HttpBodies.printable(r.statusText()));
      }
      if (r.contentLength().isPresent() && r.contentLength().getAsLong() > maxBytes) {
        throw new IOException(r.uri() + " is " + r.contentLength().getAsLong() + " bytes; a catalog is at most "
            + maxBytes + " bytes");
      }
      byte[] body = r.body().readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new IOException(r.uri() + " sent more than " + maxBytes + " bytes; a catalog is not that large");
      }
      return body;
    }
  }
}
