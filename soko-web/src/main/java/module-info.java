/**
 * The Diagnostics page and its JSON API on the JDK's {@code jdk.httpserver}, bound to loopback.
 * {@link soko.web.WebServer} is the entry point.
 */
module soko.web {
  requires transitive soko.core;
  requires jdk.httpserver;
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports soko.web;
}
