/** JMH benchmarks of Soko's in-process costs; run by bench/jmh.sh, never by the test build. */
@NullMarked
package soko.bench;

import org.jspecify.annotations.NullMarked;
