@NullMarked
package soko.manifest;

import org.jspecify.annotations.NullMarked;
