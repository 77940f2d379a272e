/** Test support shared by the modules' tests: fixtures, test audio, loopback servers. Test scope only. */
@NullMarked
package soko.testkit;

import org.jspecify.annotations.NullMarked;
