@NullMarked
package soko.runtime;

import org.jspecify.annotations.NullMarked;
