/**
 * Soko's library: a verified, content-addressed model store, downloads with consent and progress,
 * catalogs, OCI registries, the engine SPI and the runtime manager ({@code soko.runtime.manager}).
 * {@link soko.app.Soko} is the entry point.
 *
 * <p>Every package below is exported and is API (see {@code docs/API.md} for the compatibility
 * policy); {@code soko.internal.*} is not exported and may change in any release. Engines are
 * separate modules found with {@link java.util.ServiceLoader}: {@code soko.engine.onnx}, {@code
 * soko.engine.whisper} and {@code soko.engine.phrasebook} provide {@link
 * soko.runtime.EngineProvider}.
 *
 * @uses soko.runtime.EngineProvider the local engines: each supported task, language pair and model format
 * @uses soko.runtime.cloud.CloudProvider remote engines, used only for the tasks the user allowed
 */
module soko.core {
  requires transitive java.management;
  requires jdk.management;
  requires com.fasterxml.jackson.databind;
  requires static transitive org.jspecify;

  exports soko;
  exports soko.app;
  exports soko.bundle;
  exports soko.acquisition;
  exports soko.acquisition.oci;
  exports soko.catalog;
  exports soko.events;
  exports soko.inventory;
  exports soko.manifest;
  exports soko.model;
  exports soko.runtime;
  exports soko.runtime.audio;
  exports soko.runtime.cloud;
  exports soko.runtime.manager;
  exports soko.store;
  exports soko.verification;

  uses soko.runtime.EngineProvider;
  uses soko.runtime.cloud.CloudProvider;
}
