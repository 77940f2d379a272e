/**
 * Catalogs of available models: the built-in catalog, aliases, and signed remote catalogs with
 * expiry and rollback protection, plus the publisher's key and signing tools.
 *
 * <p>Bytes in, records out: this package opens no network connection (only {@code soko.acquisition}
 * fetches) and reads no environment variables or system properties. Its only file I/O is the
 * rollback state in a caller-given folder and the publisher's key files.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link soko.catalog.CatalogCodec}: the catalog document (JSON, {@code schemaVersion} 1,
 *       {@code schemas/catalog-v1.schema.json}) to and from {@link soko.catalog.Catalog}, with
 *       {@link soko.catalog.Alias}es.
 *   <li>{@link soko.catalog.BuiltinCatalog}: the unsigned catalog shipped inside Soko.
 *   <li>{@link soko.catalog.CatalogTrust}: accepts a signed envelope from a {@link
 *       soko.catalog.CatalogSource} against {@link soko.catalog.TrustedKeys}, an injected clock and
 *       the rollback state, or throws one {@link soko.catalog.CatalogException} per reason.
 *   <li>{@link soko.catalog.Catalogs}: the built-in and accepted catalogs merged, resolving names
 *       and aliases.
 *   <li>{@link soko.catalog.CatalogPublisher}: key generation, signing and key ids for publishers.
 *   <li>{@link soko.catalog.ModelFacts}: the well-known manifest annotations (parameter count,
 *       published quality figures, whisper.cpp shape, non-commercial licences), checked when a
 *       catalog is read.
 *   <li>{@link soko.catalog.Recommendation}: the model to pull for a job on this computer ({@link
 *       soko.catalog.Hardware}), with a one-line reason; pure, so the app, CLI and page can call it.
 * </ul>
 *
 * <h2>Capabilities and aliases</h2>
 *
 * <p>What a model can do is what its own manifest's tasks say, not what its family can do:
 * Kotoba-Whisper transcribes Japanese only, large-v3-turbo (trained without translation data) does
 * no speech translation. An alias's candidates must do the alias's task and allow commercial use:
 * a catalog whose alias names an incapable or non-commercial model of its own is refused when it is
 * read ({@link soko.catalog.Catalog}); an alias naming such a model of another catalog is refused
 * when the catalogs are merged ({@link soko.catalog.Catalogs}). At use time {@link
 * soko.catalog.Alias#pickCapable} checks the installed manifest itself.
 *
 * <h2>Picking a model for this computer</h2>
 *
 * <p>{@link soko.catalog.Recommendation#pick} keeps the candidates that do the job (no demo, no
 * non-commercial model), estimates each one's memory and real-time factor, and takes the best
 * published quality among those within the memory budget (default: half the RAM) and the speed
 * limit (default: 1.0, keeping pace with the audio); without published figures, the largest. Its
 * documentation gives the numbers and where they come from: whisper.cpp's README memory table, and
 * one published whisper.cpp run (ggml-small.bin, 4 AVX2 threads, 0.26× real time) that calibrates
 * an arithmetic count of each model's work per second of audio.
 *
 * <h2>Threat model (TUF attacks)</h2>
 *
 * <ul>
 *   <li>Arbitrary models: a remote catalog needs a valid Ed25519 signature by a trusted key; each
 *       file then has a size and sha256 in its manifest.
 *   <li>Mix-and-match: the whole document is signed as one blob, so no entry can be spliced in
 *       from another catalog; and a source only accepts its configured catalog id.
 *   <li>Rollback: the last accepted version per source is stored under the data root's state
 *       folder, not in a cache, and a lower version, or the same version with other bytes, is refused.
 *   <li>Indefinite freeze: every remote catalog carries {@code expires}.
 *   <li>Key compromise and rotation: key ids are derived from keys; several keys can be trusted at
 *       once; dropping a key from the trusted set retires it.
 *   <li>Endless data: documents are size-capped (4 MiB catalog, its base64 envelope) and depth-capped
 *       before parsing, and signatures are checked before the catalog is parsed.
 * </ul>
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
package soko.catalog;

import org.jspecify.annotations.NullMarked;
