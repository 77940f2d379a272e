@NullMarked
package soko.model;

import org.jspecify.annotations.NullMarked;
