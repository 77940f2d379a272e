@NullMarked
package soko.app;

import org.jspecify.annotations.NullMarked;
