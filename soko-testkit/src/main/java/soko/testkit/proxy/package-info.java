/** A real forward proxy (tinyproxy) on loopback, for the proxy tests: it counts what it carried. */
@NullMarked
package soko.testkit.proxy;

import org.jspecify.annotations.NullMarked;
