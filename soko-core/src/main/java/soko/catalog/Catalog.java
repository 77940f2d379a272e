package soko.catalog;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import soko.manifest.Manifest;
import soko.manifest.ModelName;

/**
 * One publisher's list of available models and aliases. Immutable; every instance obeys the catalog
 * rules (see {@link #problem}), whether it was parsed by {@link CatalogCodec} or built in code.
 *
 * @param id the publisher's catalog id, such as {@code soko.builtin} or {@code example.models}: 1 to
 *     64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit
 * @param version a number the publisher raises with every change, at least 1; clients refuse a lower
 *     version than one they accepted before (rollback protection)
 * @param expires when a client stops accepting this document; required for remote catalogs, absent
 *     only for the built-in catalog, which ships inside Soko
 * @param models each model once, by name
 * @param aliases in document order, each name once, never equal to a model name
 */
public record Catalog(String id, long version, Optional<Instant> expires, List<Manifest> models, List<Alias> aliases) {
  /** The id of the catalog shipped inside Soko. */
  public static final String BUILTIN_ID = "soko.builtin";
  /** The most models one catalog may list. */
  public static final int MAX_MODELS = 1000;
  /** The most aliases one catalog may define. */
  public static final int MAX_ALIASES = 1000;

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /**
   * Checks the catalog rules and copies the lists.
   *
   * @throws IllegalArgumentException if the id or version is invalid, there are too many models or
   *     aliases, or a rule of {@link #problem} is broken (the message says which)
   */
  public Catalog {
    @Nullable String idProblem = idProblem(id);
    if (idProblem != null) {
      throw new IllegalArgumentException(idProblem);
    }
    if (version < 1) {
      throw new IllegalArgumentException("a catalog version is at least 1, got " + version);
    }
    models = List.copyOf(models);
    aliases = List.copyOf(aliases);
    if (models.size() > MAX_MODELS || aliases.size() > MAX_ALIASES) {
      throw new IllegalArgumentException("a catalog has at most " + MAX_MODELS + " models and " + MAX_ALIASES + " aliases");
    }
    @Nullable Problem p = problem(models, aliases);
    if (p != null) {
      throw new IllegalArgumentException(p.message());
    }
  }

  /** Why {@code id} is not a catalog id, or null. */
  static @Nullable String idProblem(@Nullable String id) {
    if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
      return "a catalog id is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit,"
          + " such as example.models";
    }
    return null;
  }

  /** A rule broken by a catalog's models and aliases, with the JSON pointer of the offending value. */
  record Problem(String pointer, String message) {}

  /**
   * The first broken rule, or null: model names are unique; well-known annotations are well formed
   * ({@link ModelFacts}); alias names are unique and are not model names; each alias candidate listed
   * here performs the alias's task and allows commercial use ({@link Alias#refusal}); and at least
   * one candidate of each alias is listed here.
   */
  static @Nullable Problem problem(List<Manifest> models, List<Alias> aliases) {
    Map<ModelName, Integer> byName = new HashMap<>();
    for (int i = 0; i < models.size(); i++) {
      Integer prev = byName.putIfAbsent(models.get(i).name(), i);
      if (prev != null) {
        return new Problem("/models/" + i + "/name", "model \"" + models.get(i).name() + "\" is listed twice (also at /models/"
            + prev + "); a catalog lists each model once");
      }
    }
    for (int i = 0; i < models.size(); i++) {
      @Nullable String facts = ModelFacts.problem(models.get(i));
      if (facts != null) {
        return new Problem("/models/" + i + "/annotations", "model \"" + models.get(i).name() + "\": " + facts);
      }
    }
    Map<String, Boolean> aliasNames = new HashMap<>();
    for (Alias a : aliases) {
      String at = "/aliases/" + a.name();
      if (aliasNames.put(a.name(), true) != null) {
        return new Problem(at, "alias \"" + a.name() + "\" is defined twice");
      }
      if (byName.containsKey(new ModelName(a.name()))) {
        return new Problem(at, "\"" + a.name() + "\" is both a model and an alias; rename the alias");
      }
      boolean anyListed = false;
      for (int c = 0; c < a.candidates().size(); c++) {
        ModelName candidate = a.candidates().get(c);
        Integer index = byName.get(candidate);
        if (index == null) {
          continue;
        }
        anyListed = true;
        Manifest m = models.get(index);
        @Nullable String refusal = Alias.refusal(a, m);
        if (refusal != null) {
          return new Problem(at + "/candidates/" + c, "model \"" + candidate + "\" " + refusal);
        }
      }
      if (!anyListed) {
        return new Problem(at + "/candidates", "none of " + String.join(", ", a.candidates().stream().map(ModelName::value).toList())
            + " is a model in this catalog; list at least one candidate under models");
      }
    }
    return null;
  }

  /**
   * Looks a model up.
   *
   * @param name the model's name
   * @return its manifest, or empty when this catalog does not list it
   */
  public Optional<Manifest> model(ModelName name) {
    return models.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /**
   * Looks an alias up.
   *
   * @param name the alias, such as {@code ja-en}; compared exactly
   * @return the alias, or empty when this catalog does not define it
   */
  public Optional<Alias> alias(String name) {
    return aliases.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * Whether the catalog has expired.
   *
   * @param now the current instant
   * @return true when {@code now} is at or after {@link #expires}; never for a catalog without an
   *     expiry
   */
  public boolean expiredAt(Instant now) {
    return expires.isPresent() && !now.isBefore(expires.get());
  }
}
