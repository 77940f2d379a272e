/**
 * The demo translator behind the bundled {@code demo-phrasebook} model: a longest-match lookup of a
 * few hundred fixed Japanese and Korean phrases into English. It is a demo, not machine
 * translation: it knows no grammar, and it marks every stretch of text it does not know.
 *
 * <p>The only public type is {@link soko.engine.phrasebook.PhrasebookEngine}, found through
 * {@link java.util.ServiceLoader}.
 */
@NullMarked
package soko.engine.phrasebook;

import org.jspecify.annotations.NullMarked;
