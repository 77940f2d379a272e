/**
 * Audio input: WAV files of common PCM and float encodings, converted to the 16 kHz mono
 * {@link soko.runtime.Audio} that engines take. Hostile files are refused with a one-line
 * {@link soko.runtime.AudioFormatException} before anything is allocated from their header.
 */
@NullMarked
package soko.runtime.audio;

import org.jspecify.annotations.NullMarked;
