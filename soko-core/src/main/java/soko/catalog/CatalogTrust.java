package soko.catalog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import soko.internal.json.JsonProblem;
import soko.verification.Digest;
import soko.verification.Hashing;

/**
 * Decides whether a remote catalog may be used, TUF-style, and remembers what it accepted.
 *
 * <p>{@link #accept} checks, in this order, and refuses with its own exception:
 *
 * <ol>
 *   <li>the bytes are a signed envelope ({@link CatalogUnusableException}) with at least one
 *       signature ({@link CatalogUntrustedException});
 *   <li>some signature is by a trusted key ({@link CatalogUntrustedException}) and one such
 *       signature is valid over the exact signed bytes ({@link CatalogUntrustedException}); one
 *       valid trusted signature is enough, others are ignored;
 *   <li>the signed bytes are a valid catalog document ({@link CatalogUnusableException});
 *   <li>its id is the source's expected catalog id ({@link CatalogUntrustedException});
 *   <li>its version is not lower than the last version accepted from this source, and equal only
 *       with identical bytes ({@link CatalogRollbackException});
 *   <li>it has not expired by the injected clock ({@link CatalogUntrustedException});
 *   <li>it does not redefine a model (same name@version, other files, tasks, licence…) or turn a
 *       model name into an alias, against the catalogs already in force above it: the built-in
 *       catalog and the remote catalogs of higher priority ({@link CatalogConflictException}).
 * </ol>
 *
 * <p>Then the version is recorded in the state folder (see {@link RollbackState} for the format),
 * atomically, before the catalog is returned. Signatures are checked before the document is
 * parsed, so only a trusted publisher's bytes reach the catalog parser.
 *
 * <p>Does no network I/O: the caller fetches the bytes. Thread-safe within one instance;
 * concurrent processes sharing a state folder may race so that a lower of two versions accepted
 * at the same moment is recorded last (the next fetch then records the higher one again).
 */
public final class CatalogTrust {
  private final TrustedKeys keys;
  private final Clock clock;
  private final RollbackState state;

  /**
   * Makes a checker that trusts {@code keys} and keeps its rollback state in {@code stateDirectory}.
   * Does no I/O.
   *
   * @param keys the public keys whose signatures are accepted
   * @param clock decides whether a catalog has expired
   * @param stateDirectory where rollback state lives: a folder under the data root such as
   *     {@code <data>/state/catalogs}, never under a cache that users clear; created when first written
   */
  public CatalogTrust(TrustedKeys keys, Clock clock, Path stateDirectory) {
    this.keys = keys;
    this.clock = clock;
    this.state = new RollbackState(stateDirectory);
  }

  /**
   * Verifies a served signed catalog envelope and records its version; see the class comment. A
   * refused catalog records nothing, so the one accepted before from this source stays valid.
   *
   * @param above the catalogs in force above this one: the built-in catalog and the remote catalogs
   *     of higher priority, merged ({@link Catalogs#merge}); the catalog must merge with them
   * @param source where the bytes came from, and the catalog id it must serve
   * @param envelopeBytes the signed envelope as served
   * @return the accepted catalog
   * @throws CatalogException the subclass for the first check that failed, in the order of the class
   *     comment ({@link CatalogUnusableException} when the rollback state cannot be read or written)
   */
  public synchronized Catalog accept(CatalogSource source, Catalogs above, byte[] envelopeBytes) throws CatalogException {
    String label = "catalog source \"" + source.id() + "\"";
    SignedEnvelope envelope;
    try {
      switch (SignedEnvelope.parse(envelopeBytes)) {
        case SignedEnvelope.Unsigned u -> throw CatalogUntrustedException.unsigned(source.id());
        case SignedEnvelope.Envelope e -> envelope = e.envelope();
      }
    } catch (JsonProblem p) {
      throw CatalogUnusableException.malformed(label, "signed catalog envelope", p.pointer(), p.problem(), p);
    }
    checkSignatures(source, envelope);
    Catalog catalog = CatalogCodec.parse(envelope.signed(), label);
    if (!catalog.id().equals(source.expectedCatalogId())) {
      throw CatalogUntrustedException.otherPublisher(source.id(), source.expectedCatalogId(), catalog.id());
    }
    Digest sha = Digest.of(Hashing.newSha256().digest(envelope.signed()));
    Optional<RollbackState.Accepted> last = state.read(source);
    if (last.isPresent()) {
      long before = last.get().version();
      if (catalog.version() < before) {
        throw CatalogRollbackException.older(source.id(), catalog.id(), catalog.version(), before);
      }
      if (catalog.version() == before && !sha.equals(last.get().sha256())) {
        throw CatalogRollbackException.changedInPlace(source.id(), catalog.id(), catalog.version());
      }
    }
    Instant now = clock.instant();
    if (catalog.expiredAt(now)) {
      throw CatalogUntrustedException.expired(source.id(), catalog.id(), catalog.version(), catalog.expires().orElseThrow(),
          now);
    }
    try {
      above.with(catalog);
    } catch (CatalogConflictException e) {
      throw new CatalogConflictException(source.id(), label + ": " + e.getMessage(), e);
    }
    if (last.isEmpty() || catalog.version() > last.get().version()) {
      state.write(source, new RollbackState.Accepted(catalog.id(), catalog.version(), sha, now));
    }
    return catalog;
  }

  private void checkSignatures(CatalogSource source, SignedEnvelope envelope) throws CatalogException {
    List<String> invalid = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (SignedEnvelope.Sig sig : envelope.signatures()) {
      Optional<TrustedKey> key = keys.find(sig.keyId());
      if (key.isEmpty()) {
        unknown.add(sig.keyId());
      } else if (key.get().verifies(envelope.signed(), sig.signature())) {
        return;
      } else {
        invalid.add(sig.keyId());
      }
    }
    if (!invalid.isEmpty()) {
      throw CatalogUntrustedException.badSignature(source.id(), invalid);
    }
    throw CatalogUntrustedException.unknownKeys(source.id(), unknown, keys.keyIds());
  }

  /**
   * The last catalog version accepted from {@code source}.
   *
   * @param source the catalog source
   * @return that version, or empty when none was accepted yet
   * @throws CatalogUnusableException if the state file exists but cannot be read or is damaged
   */
  public synchronized OptionalLong lastAcceptedVersion(CatalogSource source) throws CatalogUnusableException {
    return state.read(source).map(a -> OptionalLong.of(a.version())).orElseGet(OptionalLong::empty);
  }

  /**
   * The file holding {@code source}'s rollback state, for Diagnostics. Does no I/O.
   *
   * @param source the catalog source
   * @return the path of its state file, which may not exist yet
   */
  public Path stateFile(CatalogSource source) {
    return state.file(source);
  }
}
