package soko.store;

import java.nio.file.Path;
import java.time.Instant;
import soko.manifest.Manifest;

/**
 * An installed model: its manifest, where that manifest is stored, when and from where it was installed.
 * Immutable and thread-safe.
 *
 * @param manifest the installed manifest
 * @param manifestFile where the store keeps it
 * @param installedAt when it was installed
 * @param origin where it was installed from: "bundled", a catalog, a manifest file, or an oci:// reference
 */
public record InstalledModel(Manifest manifest, Path manifestFile, Instant installedAt, String origin) {}
