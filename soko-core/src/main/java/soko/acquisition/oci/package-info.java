/**
 * Models as OCI artifacts: a registry client and the CNCF ModelPack format.
 *
 * <p><b>Why a client of our own.</b> {@code land.oras:oras-java-sdk:0.7.0} was weighed (bytecode of
 * the 0.7.0 jar, 2025): it strips {@code Authorization} on cross-origin redirects, but follows only
 * 301/302/307; it never sends {@code Range} on a blob GET, so a broken download restarts from zero;
 * its chunked push does not check the {@code Range} the registry returns (distribution 2.8.2
 * accepts an out-of-order PATCH with 202 instead of 416, so the check is the only guard) and keeps
 * no state to resume after a restart; it knows Helm and Flux media types but not ModelPack; its
 * credential store reads environment variables and system properties itself (Soko lets only
 * {@code soko.app} do that); and it brings 21 jars, about 24 MB, with Jackson 3 beside our Jackson
 * 2, BouncyCastle and the native zstd-jni. The part we need is small, so we write it on
 * {@code java.net.http.HttpClient} with {@code Redirect.NEVER} and follow redirects by hand: the
 * JDK's own redirect policy forwards {@code Authorization} to a storage host on a 307, which S3
 * presigned URLs reject (measured, see shared/research/OCI.md).
 *
 * <p>Entry points: {@link soko.acquisition.oci.OciClient} (pull, fetch blob, push),
 * {@link soko.acquisition.oci.ModelPack} (format conversion), {@link soko.acquisition.oci.Credentials}
 * (docker and podman credential files, credential helpers). Errors are the sealed
 * {@link soko.acquisition.oci.OciException} family.
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
package soko.acquisition.oci;

import org.jspecify.annotations.NullMarked;
