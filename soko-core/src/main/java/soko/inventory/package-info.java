@NullMarked
package soko.inventory;

import org.jspecify.annotations.NullMarked;
