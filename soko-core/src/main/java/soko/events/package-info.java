@NullMarked
package soko.events;

import org.jspecify.annotations.NullMarked;
