package soko.manifest;

import java.util.regex.Pattern;

/** The engine a model runs on, such as {@code onnxruntime} or {@code whisper.cpp}, and the versions it accepts. */
public record EngineRequirement(String id, VersionRange versions) {
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.+_-]{0,39}");

  public EngineRequirement {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("an engine id is lower-case letters, digits, '.', '+', '_' or '-', such as onnxruntime");
    }
  }
}
