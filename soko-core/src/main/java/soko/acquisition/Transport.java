package soko.acquisition;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Moves bytes, and nothing else: one {@code GET} of a range of one source, an http(s) mirror's
 * URL ({@link HttpTransport}) or an OCI registry's blob ({@code soko.acquisition.oci}). A
 * transport adds what its kind of source needs (a registry's credentials, to the registry only)
 * and follows redirects under the one {@link Redirects} policy. Everything else, partial files,
 * validators, resume, retries, failover, hashing and publishing, is the {@link Downloader}'s, so
 * that every source gets the same guarantees. Every transport passes the same contract test
 * ({@code TransportContractTest}: truncation, resets, ignored ranges, changed validators, wrong
 * lengths, endless bodies, stalls, 5xx bursts with Retry-After, redirect loops, credentials on
 * redirects, wrong content, failover, cancellation).
 *
 * <p>Implementations are thread-safe. Calls block; the downloader cancels one by interrupting its
 * (virtual) thread, which closes the socket.
 */
public interface Transport {
  /**
   * True when what a source serves is fixed by its address (a registry blob is named by its
   * digest): bytes received earlier from any such source for that digest can be resumed without
   * a validator. False for URLs, whose content may change (then only a strong validator allows
   * resuming).
   *
   * @return whether this transport's sources are content-addressed
   */
  boolean contentAddressed();

  /**
   * Sends one {@code GET} for {@code request} and returns the first response that is not a
   * redirect, with its body unread; any status is returned as is (the downloader decides what a
   * 206, 200, 416 or 503 means). The caller closes it.
   *
   * @param request the file, source and range wanted
   * @return the response, open, its body unread
   *
   * @throws IOException when the network fails before the response head is complete (connect,
   *     reset, timeout, interrupt)
   * @throws TransferException when the request cannot be made as asked: a redirect the policy
   *     refuses, credentials refused or missing, a protocol violation
   */
  HttpResponse get(Request request) throws IOException, TransferException;

  /**
   * What to tell the user about a final error status from this kind of source.
   *
   * @param status the HTTP status
   * @return one line of advice, or empty when the generic advice is enough
   */
  default Optional<String> advice(int status) {
    return Optional.empty();
  }

  /**
   * One ranged GET. Immutable.
   *
   * @param file the file's path in its model, for messages
   * @param source the source as the manifest names it (before redirects)
   * @param first the first byte wanted (0 for the whole file)
   * @param last the last byte wanted (inclusive), or empty for "to the end"
   * @param ifRange the validator for {@code If-Range}, when resuming a URL
   */
  record Request(String file, URI source, long first, OptionalLong last, Optional<String> ifRange) {
    /**
     * Checks the range.
     *
     * @throws IllegalArgumentException if {@code first < 0} or {@code last < first}
     */
    public Request {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(last, "last");
      Objects.requireNonNull(ifRange, "ifRange");
      if (first < 0 || (last.isPresent() && last.getAsLong() < first)) {
        throw new IllegalArgumentException("range " + first + "-" + last + " is empty");
      }
    }

    /**
     * A GET of the whole source.
     *
     * @param file the file's path in its model
     * @param source the source URL
     * @return the request
     */
    public static Request whole(String file, URI source) {
      return new Request(file, source, 0, OptionalLong.empty(), Optional.empty());
    }

    /**
     * Whether only part of the source is wanted.
     *
     * @return true when {@code first > 0} or {@code last} is given
     */
    public boolean ranged() {
      return first > 0 || last.isPresent();
    }

    /**
     * The {@code Range} header.
     *
     * @return its value, e.g. {@code bytes=1000-}
     */
    public String rangeHeader() {
      return "bytes=" + first + "-" + (last.isPresent() ? Long.toString(last.getAsLong()) : "");
    }
  }
}
