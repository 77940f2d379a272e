@NullMarked
package soko.store;

import org.jspecify.annotations.NullMarked;
