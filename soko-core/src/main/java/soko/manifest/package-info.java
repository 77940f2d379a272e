/**
 * Model manifests: the records (model id, tasks, languages, engine requirement, licence, files with
 * size, sha256 and sources) and the strict, versioned codec that maps JSON to them and names the
 * JSON pointer of any bad field.
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
package soko.manifest;

import org.jspecify.annotations.NullMarked;
