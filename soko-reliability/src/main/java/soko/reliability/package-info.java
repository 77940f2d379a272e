/**
 * Black-box reliability harnesses for the {@code soko} command: {@link soko.reliability.CrashHarness}
 * (SIGKILL at random, reproducible points), {@link soko.reliability.ConcurrencyHarness} (several
 * processes on one store) and {@link soko.reliability.ServerCorpus} (misbehaving download servers).
 *
 * <p>They know Soko only as a user does: they start {@code java -jar soko-cli.jar} as child
 * processes, read exit codes, one-line errors and {@code --json} output, and look at files from the
 * outside (the store's roots, the library and the folders around them). No Soko class is used, so
 * the harnesses keep working while the store and the download code change underneath.
 */
@NullMarked
package soko.reliability;

import org.jspecify.annotations.NullMarked;
