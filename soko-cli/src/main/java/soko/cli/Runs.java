package soko.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import soko.runtime.AudioFormatException;
import soko.runtime.AudioStream;
import soko.runtime.Segment;
import soko.runtime.audio.Wav;
import soko.runtime.manager.ModelUse;
import soko.runtime.manager.Timings;

/**
 * Rendering shared by the commands that run models (vad, transcribe, translate). The JSON
 * documents have: {@code segments} [{start, end (seconds), text}], {@code models}
 * [{requested, model, engine, demo, cloud, loadMs}], {@code timings} {loadMs, runMs}.
 */
final class Runs {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Runs() {}

  /**
   * Checks that {@code file} names a regular file, with a {@code stat} and without opening it (a
   * FIFO would block the open): the first step of vad and transcribe, before the models are looked
   * up and long before the audio is read.
   */
  static void checkWav(Path file) throws InputException {
    if (Files.isDirectory(file)) {
      throw new InputException(file + " is a folder; give a .wav file");
    }
    if (!Files.exists(file)) {
      throw new InputException(file + " does not exist; give a .wav file");
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException(file + " is not a regular file (it is a device, a FIFO or a socket); give a .wav file");
    }
  }

  /** Opens a WAV file as a stream, block by block (its header is read and checked now). */
  static AudioStream openWav(Path file) throws InputException, AudioFormatException {
    try {
      return Wav.open(file);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  /** The input error for a WAV file that could not be read. */
  static InputException unreadable(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new InputException(file + " does not exist; give a .wav file", e);
    }
    return new InputException("cannot read " + file + ": " + e.getMessage(), e);
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e9);
  }

  static long millis(Duration d) {
    return Math.round(d.toNanos() / 1e6);
  }

  static String timings(Timings t) {
    return "load " + millis(t.load()) + " ms, run " + millis(t.run()) + " ms";
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static void segments(ObjectNode o, String field, List<Segment> segments, boolean withText) {
    ArrayNode a = o.putArray(field);
    for (Segment s : segments) {
      ObjectNode n = a.addObject();
      n.put("start", s.start().toNanos() / 1e9);
      n.put("end", s.end().toNanos() / 1e9);
      if (withText) {
        n.put("text", s.text());
      }
    }
  }

  static void models(ObjectNode o, List<ModelUse> models) {
    ArrayNode a = o.putArray("models");
    for (ModelUse m : models) {
      ObjectNode n = a.addObject();
      n.put("requested", m.requested());
      n.put("model", m.model());
      n.put("engine", m.engine());
      n.put("demo", m.demo());
      n.put("cloud", m.cloud());
      n.put("loadMs", millis(m.load()));
      if (m.demo()) {
        n.put("note", "DEMO phrasebook: looks up fixed phrases; not real machine translation");
      }
    }
  }

  static void timings(ObjectNode o, Timings t) {
    ObjectNode n = o.putObject("timings");
    n.put("loadMs", millis(t.load()));
    n.put("runMs", millis(t.run()));
  }

  static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
