@NullMarked
package soko.acquisition;

import org.jspecify.annotations.NullMarked;
