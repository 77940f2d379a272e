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
import soko.app.ModelUse;
import soko.app.Timings;
import soko.runtime.Audio;
import soko.runtime.AudioFormatException;
import soko.runtime.Segment;
import soko.runtime.audio.Wav;

/**
 * Rendering shared by the commands that run models (vad, transcribe, translate). The JSON
 * documents have: {@code segments} [{start, end (seconds), text}], {@code models}
 * [{requested, model, engine, demo, cloud, loadMs}], {@code timings} {loadMs, runMs}.
 */
final class Runs {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Runs() {}

  static Audio readWav(Path file) throws InputException, AudioFormatException {
    try {
      if (Files.isDirectory(file)) {
        throw new InputException(file + " is a folder; give a .wav file");
      }
      return Wav.read(file);
    } catch (NoSuchFileException e) {
      throw new InputException(file + " does not exist; give a .wav file", e);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
    }
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
