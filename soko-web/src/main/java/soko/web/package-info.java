/**
 * The Diagnostics page and its JSON/SSE API on the JDK's HTTP server ({@code soko serve}).
 *
 * <p>Everything goes through {@link soko.app.Soko}; the page is static HTML, CSS and JS from this
 * jar. Every request is checked by {@link soko.web.Guard} before anything runs.
 */
@NullMarked
package soko.web;

import org.jspecify.annotations.NullMarked;
