/** A real nginx on loopback for download tests: static files, sendfile, a rate-limited location and an access log. */
@NullMarked
package soko.testkit.nginx;

import org.jspecify.annotations.NullMarked;
