/**
 * Offline bundles: several installed models in one file, an OCI image layout in a tar ({@code
 * oci-layout}, {@code index.json}, {@code blobs/sha256/…}), each model a ModelPack manifest exactly
 * as {@code soko push} publishes it, plus the signed catalogs that vouch for them.
 *
 * <p>{@link soko.bundle.BundleWriter} writes one deterministically and atomically; {@link
 * soko.bundle.BundleReader} reads one in a single streaming pass, refusing anything but plain
 * files and folders with the layout's own names, and verifies every blob's sha256 before it keeps
 * it. Trust (which catalog vouches for which model) and installing are decided by {@code soko.app}.
 */
@NullMarked
package soko.bundle;

import org.jspecify.annotations.NullMarked;
