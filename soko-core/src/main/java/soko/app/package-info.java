/**
 * The entry point ({@link soko.app.Soko}) and the use cases an app or the {@code soko} command
 * calls: settings resolved once, install, pull with consent, verify, remove, catalogs, registries,
 * budgets and updates, and the reason of every failure. {@link soko.app.Soko#runtime()} makes the
 * runtime manager ({@code soko.runtime.manager}), handing it what it needs.
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
package soko.app;

import org.jspecify.annotations.NullMarked;
