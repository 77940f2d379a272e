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
 * </ul>
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
 */
@NullMarked
package soko.catalog;

import org.jspecify.annotations.NullMarked;
