/** An in-process HTTP/1.1 server on loopback with switches for the faults real servers and networks produce. */
@NullMarked
package soko.testkit.http;

import org.jspecify.annotations.NullMarked;
