@NullMarked
package soko.verification;

import org.jspecify.annotations.NullMarked;
