/**
 * The whisper.cpp engine (speech recognition and speech translation into English) through
 * whisper-jni. Native code runs in a reusable child JVM so that a whisper.cpp abort cannot take the
 * host application down.
 */
@NullMarked
package soko.engine.whisper;

import org.jspecify.annotations.NullMarked;
