/** Starting, awaiting and stopping a real server program on a loopback port, for the testkit's servers. */
@NullMarked
package soko.testkit.daemon;

import org.jspecify.annotations.NullMarked;
