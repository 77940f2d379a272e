/**
 * Hooks for remote ("cloud") engines. Soko ships no implementation and enables none by default:
 * a {@link soko.runtime.cloud.CloudProvider} found on the class path is only listed until the
 * user names it in the settings ({@code SOKO_CLOUD_PROVIDER}, {@code SOKO_CLOUD_ENDPOINT},
 * {@code SOKO_CLOUD_TASKS}, resolved in {@code soko.app}); only then does the runtime call it, and
 * only for the tasks the user listed. Everything else runs on the user's machine.
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
package soko.runtime.cloud;

import org.jspecify.annotations.NullMarked;
