@NullMarked
package soko.catalog;

import org.jspecify.annotations.NullMarked;
