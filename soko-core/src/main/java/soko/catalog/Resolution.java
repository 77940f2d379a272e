package soko.catalog;

import java.util.Optional;
import soko.manifest.Manifest;
import soko.manifest.TaskSpec;

/**
 * What a name or alias stands for in the merged catalogs.
 *
 * @param requested the text that was resolved, such as {@code ja-en} or {@code whisper-base}
 * @param manifest the model to pull
 * @param task the job asked for: the alias's task, or the model's first task for a model name
 * @param alias the alias that was followed, if {@code requested} was one
 */
public record Resolution(String requested, Manifest manifest, TaskSpec task, Optional<Alias> alias) {}
