/**
 * Offline bundles: several installed models in one file, an OCI image layout in a tar ({@code
 * oci-layout}, {@code index.json}, {@code blobs/sha256/…}), each model a ModelPack manifest exactly
 * as {@code soko push} publishes it, plus the signed catalogs that vouch for them.
 *
 * <p>{@link soko.bundle.BundleWriter} writes one deterministically and atomically; {@link
 * soko.bundle.BundleReader} reads one in a single streaming pass, refusing anything but plain
 * files and folders with the layout's own names, and verifies every blob's sha256 before it keeps
 * it. Trust (which catalog vouches for which model) and installing are decided by {@code soko.app}.
 *
 * <p><b>Contracts.</b> Nothing in this package accepts or returns {@code null} unless marked
 * {@code @Nullable} (the package is {@code @NullMarked}); an absent value is an {@code Optional}.
 * Records are immutable and thread-safe; {@link soko.bundle.BundleWriter} and {@link
 * soko.bundle.BundleFormat} hold no state. Methods throw the checked exceptions they declare, in
 * the cases each method's documentation describes, and {@code IllegalArgumentException} or {@code
 * NullPointerException} for an argument that breaks a documented precondition.
 */
@NullMarked
package soko.bundle;

import org.jspecify.annotations.NullMarked;
