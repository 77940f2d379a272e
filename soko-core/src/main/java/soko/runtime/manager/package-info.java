/**
 * The runtime manager: runs installed models and never downloads. {@link
 * soko.runtime.manager.Engines} (from {@code Soko.runtime()}) finds the installed model for a job
 * ({@link soko.runtime.manager.Need}), has the store verify it, picks the engine provider that runs
 * it and shares the loaded session through {@link soko.runtime.manager.Lease}s; its results
 * ({@link soko.runtime.manager.Transcript}, {@link soko.runtime.manager.Translation}, {@link
 * soko.runtime.manager.SpeechRegions}) say which model did the job.
 *
 * <p>It depends on the store, the catalogs and the engine SPI ({@code soko.runtime}), never on
 * {@code soko.app}: {@code soko.app} reads the environment once, resolves the {@link
 * soko.runtime.manager.RuntimeSettings} and finds the engine providers, then hands them to the
 * manager's constructor.
 *
 * <p><b>Contracts.</b> Nothing in this package accepts or returns {@code null} unless marked
 * {@code @Nullable} (the package is {@code @NullMarked}). Records are immutable; {@link
 * soko.runtime.manager.Engines} is thread-safe, and a {@link soko.runtime.manager.Lease} is for
 * one caller.
 */
@NullMarked
package soko.runtime.manager;

import org.jspecify.annotations.NullMarked;
