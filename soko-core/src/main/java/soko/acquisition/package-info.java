/**
 * Getting model files: local and bundled sources, the transports for HTTP mirrors and registry
 * blobs, the one downloader (resume, retry, failover, hashing while streaming, consent and
 * progress) that publishes only through the store. The only package that opens network connections.
 *
 * <p><b>Contracts.</b> Nothing in this package accepts or returns {@code null} unless marked
 * {@code @Nullable} (the package is {@code @NullMarked}); an absent value is an {@code Optional}.
 * Records and enums are immutable and thread-safe. Every other class says in its own
 * documentation whether it is thread-safe; one that does not say so is not. Methods throw the
 * checked exceptions they declare, in the cases each exception's documentation describes, and
 * {@code IllegalArgumentException} or {@code NullPointerException} for an argument that breaks a
 * documented precondition.
 */
@NullMarked
package soko.acquisition;

import org.jspecify.annotations.NullMarked;
