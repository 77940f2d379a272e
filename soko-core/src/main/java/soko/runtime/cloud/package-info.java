/**
 * Hooks for remote ("cloud") engines. Soko ships no implementation and enables none by default:
 * a {@link soko.runtime.cloud.CloudProvider} found on the class path is only listed until the
 * user names it in the settings ({@code SOKO_CLOUD_PROVIDER}, {@code SOKO_CLOUD_ENDPOINT},
 * {@code SOKO_CLOUD_TASKS}, resolved in {@code soko.app}); only then does the runtime call it, and
 * only for the tasks the user listed. Everything else runs on the user's machine.
 */
@NullMarked
package soko.runtime.cloud;

import org.jspecify.annotations.NullMarked;
