package soko.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import soko.internal.io.AtomicFiles;
import soko.internal.io.RegularFiles;
import soko.internal.json.Json;
import soko.internal.json.JsonProblem;
import soko.internal.json.Node;

/**
 * The settings made with {@code soko config set}, in {@code <data>/state/settings.json}:
 *
 * <pre>
 * {"schemaVersion":1,"budget":"20GiB"}
 * </pre>
 *
 * Every key is one of {@link Key}; values are checked when set and again when read, and a file
 * that is damaged, a link or not a regular file is refused with the way to fix it (never followed).
 * Writes are atomic; two processes setting keys at once keep the last writer's file. Thread-safe.
 */
public final class ConfigFile {
  private static final int MAX_BYTES = 64 * 1024;

  /** The settings a user may set, each with its one line of documentation. */
  public enum Key {
    /** {@code budget}: the storage budget, a size such as {@code 20GiB} ({@link StorageBudget#parse}). */
    BUDGET("budget", "the most the installed models may take, such as 20GiB; installs evict the least recently used"
        + " models beyond it (SOKO_BUDGET overrides it)");

    private final String id;
    private final String description;

    Key(String id, String description) {
      this.id = id;
      this.description = description;
    }

    /**
     * The key as written in the file and on the command line.
     *
     * @return the id, such as {@code budget}
     */
    public String id() {
      return id;
    }

    /**
     * What the setting does, for {@code soko config list}.
     *
     * @return one line
     */
    public String description() {
      return description;
    }

    /**
     * The key of that name, or an error listing the keys.
     *
     * @param id the key's id, as the user typed it (case-sensitive)
     * @return the key
     * @throws InvalidSettingException when no key has that id; the message lists the keys
     */
    public static Key parse(String id) {
      for (Key k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      throw new InvalidSettingException("unknown setting \"" + id + "\": the settings are "
          + String.join(", ", java.util.Arrays.stream(values()).map(Key::id).toList()) + " (see `soko config list`)");
    }

    /** The value normalised, or an {@link InvalidSettingException} saying what a good value looks like. */
    String check(String value) {
      return switch (this) {
        case BUDGET -> StorageBudget.parse(value).toString();
      };
    }
  }

  private final Path file;

  ConfigFile(Path file) {
    this.file = file;
  }

  /**
   * Where the settings are kept.
   *
   * @return the file; it need not exist
   */
  public Path file() {
    return file;
  }

  /**
   * Every key set, sorted by key.
   *
   * @return the normalised value of each key set; empty when the file does not exist
   * @throws InvalidSettingException when the file is damaged, a link or not a regular file, or a
   *     value is invalid; the message says how to fix it
   */
  public Map<Key, String> list() {
    Map<Key, String> out = new TreeMap<>();
    Node root = read();
    for (Key k : Key.values()) {
      if (root != null && root.has(k.id())) {
        try {
          out.put(k, k.check(root.get(k.id()).text()));
        } catch (JsonProblem | InvalidSettingException e) {
          throw new InvalidSettingException(file + ": " + k.id() + " is invalid (" + e.getMessage() + "): run `soko"
              + " config set " + k.id() + " VALUE` or `soko config unset " + k.id() + "`", e);
        }
      }
    }
    return out;
  }

  /**
   * One setting.
   *
   * @param key the setting
   * @return its normalised value; empty when it is not set
   * @throws InvalidSettingException when the file is damaged, a link or not a regular file, or a
   *     value is invalid
   */
  public Optional<String> get(Key key) {
    return Optional.ofNullable(list().get(key));
  }

  /**
   * Sets a key after checking its value, keeping the other keys (a damaged file is replaced).
   *
   * @param key the setting
   * @param value its new value, as the user typed it
   * @return the value as stored (normalised, such as {@code 20GiB})
   * @throws InvalidSettingException when {@code value} is not valid for {@code key}
   * @throws IOException when the file cannot be written
   */
  public String set(Key key, String value) throws IOException {
    String normal = key.check(value);
    Map<Key, String> all = new TreeMap<>(listForRewrite());
    all.put(key, normal);
    write(all);
    return normal;
  }

  /**
   * Removes a key; the file is rewritten only when the key was set.
   *
   * @param key the setting
   * @return true when it was set
   * @throws IOException when the file cannot be written
   */
  public boolean unset(Key key) throws IOException {
    Map<Key, String> all = new TreeMap<>(listForRewrite());
    boolean was = all.remove(key) != null;
    if (was) {
      write(all);
    }
    return was;
  }

  /** The current values, or none when the file is damaged: setting a key repairs it. */
  private Map<Key, String> listForRewrite() {
    try {
      return list();
    } catch (InvalidSettingException damaged) {
      return Map.of();
    }
  }

  private void write(Map<Key, String> all) throws IOException {
    ObjectNode root = Json.object();
    root.put("schemaVersion", 1);
    all.forEach((k, v) -> root.put(k.id(), v));
    AtomicFiles.replace(file, Json.write(root));
  }

  private @org.jspecify.annotations.Nullable Node read() {
    byte[] bytes;
    try (InputStream in = RegularFiles.open(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new InvalidSettingException("cannot read the settings file " + file + " (" + e.getMessage() + "): remove it"
          + " and set the settings again with `soko config set`", e);
    }
    try {
      Set<String> keys = new LinkedHashSet<>(List.of("schemaVersion"));
      for (Key k : Key.values()) {
        keys.add(k.id());
      }
      Node root = Json.parse(bytes, MAX_BYTES, "settings file").object(keys);
      root.get("schemaVersion").integer(1, 1);
      return root;
    } catch (JsonProblem e) {
      throw new InvalidSettingException("the settings file " + file + " is damaged (" + e.getMessage() + "): remove it"
          + " and set the settings again with `soko config set`", e);
    }
  }
}
