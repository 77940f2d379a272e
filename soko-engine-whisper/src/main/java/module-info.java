/**
 * whisper.cpp engines (speech recognition and speech translation through whisper-jni), by
 * default in a child JVM so that a native crash cannot take the app down. Exports nothing: Soko
 * finds the engine through {@link java.util.ServiceLoader}.
 *
 * <p>whisper-jni 1.7.1 has no module descriptor and no {@code Automatic-Module-Name}, so it is the
 * automatic module {@code whisper.jni} named after its jar file; keep the jar's name {@code
 * whisper-jni-VERSION.jar} on the module path. Needs native access: {@code
 * --enable-native-access=whisper.jni} on the module path.
 *
 * @provides soko.runtime.EngineProvider {@code whisper.cpp}
 */
@SuppressWarnings({"requires-automatic", "module"})
module soko.engine.whisper {
  requires soko.core;
  requires whisper.jni;
  requires static org.jspecify;

  provides soko.runtime.EngineProvider with soko.engine.whisper.WhisperEngineProvider;
}
