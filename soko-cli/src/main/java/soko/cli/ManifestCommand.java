package soko.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.manifest.ChunkDigests;
import soko.manifest.EngineRequirement;
import soko.manifest.Language;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ManifestCodec;
import soko.manifest.ModelFile;
import soko.manifest.ModelName;
import soko.manifest.RelativePath;
import soko.manifest.SourceUri;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.manifest.Version;
import soko.manifest.VersionRange;
import soko.verification.Hashing;

@Command(name = "manifest", header = "Write manifests for models an admin publishes.",
    description = "A manifest names each file of a model with its size and sha256, and where to download it.",
    subcommands = ManifestCommand.Create.class)
final class ManifestCommand implements Runnable {
  @ParentCommand
  SokoCommand root;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(root.out);
  }

  @Command(name = "create", header = "Print the manifest of the model files in a folder.",
      description = {"Hashes every regular file under DIR and prints a canonical manifest (schema 1) to publish in a"
          + " catalog.", "Symbolic links are followed only when they stay inside DIR.",
          "Without --source-base each file's source is its file: URL here, so `soko install` can install the"
              + " printed manifest on this machine."})
  static final class Create implements Callable<Integer> {
    @ParentCommand
    ManifestCommand parent;

    @Parameters(paramLabel = "DIR", description = "The folder holding the model's files.")
    Path dir;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Model name, such as whisper-base.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "Model version (semver), such as 1.0.0.")
    String version;

    @Option(names = "--description", paramLabel = "TEXT", description = "One paragraph saying what the model is.")
    String description = "";

    @Option(names = "--license", required = true, paramLabel = "SPDX", description = "SPDX licence expression, such as MIT.")
    String license;

    @Option(names = "--license-url", required = true, paramLabel = "URL", description = "Where the licence text is (https:).")
    String licenseUrl;

    @Option(names = "--attribution", paramLabel = "TEXT", description = "Attribution a user interface must show.")
    String attribution = "";

    @Option(names = "--task", required = true, paramLabel = "SPEC", description = {
        "A task, repeatable: vad | asr:ja,ko | speech-translate:ja,ko:en | translate:ja:en."})
    List<String> tasks;

    @Option(names = "--engine", required = true, paramLabel = "ID[:RANGE]",
        description = "Engine id and optional version range, such as whisper.cpp:>=1.7 <2 (default range *).")
    String engine;

    @Option(names = "--source-base", paramLabel = "URL", description = "Mirror base URL; each file's source is URL/PATH.")
    String sourceBase;

    @Option(names = "--demo", description = "Mark the model as a demo (not a real model).")
    boolean demo;

    @Override
    public Integer call() throws Exception {
      Manifest m = build();
      parent.root.out.print(new String(ManifestCodec.write(m), StandardCharsets.UTF_8));
      parent.root.out.println();
      return ExitCode.OK;
    }

    Manifest build() throws InputException, IOException {
      List<TaskSpec> specs = new ArrayList<>();
      for (String t : tasks) {
        specs.add(task(t));
      }
      int colon = engine.indexOf(':');
      String engineId = colon < 0 ? engine : engine.substring(0, colon);
      VersionRange range = colon < 0 ? VersionRange.ANY : parse("--engine range", engine.substring(colon + 1), VersionRange::parse);
      EngineRequirement req = parse("--engine", engineId, id -> new EngineRequirement(id, range));
      License lic = parse("--license/--license-url", license, s -> new License(s, URI.create(licenseUrl), attribution));
      Optional<String> base = Optional.ofNullable(sourceBase).map(b -> b.endsWith("/") ? b : b + "/");
      List<ModelFile> files = new ArrayList<>();
      for (Map.Entry<RelativePath, Path> f : files(dir).entrySet()) {
        // Files of two chunks or more get their chunk digests, hashed in the same read as the sha256.
        long expected = Files.size(f.getValue());
        long chunkSize = ChunkDigests.sizeFor(expected);
        Hashing.Measured h;
        Optional<ChunkDigests> chunks = Optional.empty();
        if (chunkSize > 0) {
          Hashing.Chunked c = Hashing.sha256WithChunks(f.getValue(), chunkSize);
          h = c.whole();
          if (h.size() != expected) {
            throw new InputException(f.getValue() + " changed while it was read (" + expected + " bytes, then " + h.size()
                + "); run the command again when nothing writes to it");
          }
          chunks = Optional.of(new ChunkDigests(chunkSize, c.chunks()));
        } else {
          h = Hashing.sha256(f.getValue());
        }
        SourceUri source = base.isPresent()
            ? parse("--source-base", base.get() + encode(f.getKey().value()), SourceUri::parse)
            : new SourceUri(f.getValue().toAbsolutePath().normalize().toUri());
        files.add(new ModelFile(f.getKey(), h.size(), h.digest(), List.of(source), chunks));
      }
      if (files.isEmpty()) {
        throw new InputException(dir + " holds no files; put the model's files in it");
      }
      ModelName n = parse("--name", name, ModelName::parse);
      Version v = parse("--version", version, Version::parse);
      return parse("the manifest", "", x -> new Manifest(n, v, description, specs, req, lic, files, demo, Map.of()));
    }

    /** {@code vad}, {@code asr:ja,ko}, {@code speech-translate:ja,ko:en}, {@code translate:ja:en}. */
    static TaskSpec task(String spec) throws InputException {
      String[] parts = spec.split(":", -1);
      Task task = parse("--task " + spec, parts[0], Task::parse);
      List<Language> from = parts.length > 1
          ? parse("--task " + spec, parts[1], s -> java.util.Arrays.stream(s.split(",")).map(Language::parse).toList())
          : List.of();
      Optional<Language> to = parts.length > 2 ? Optional.of(parse("--task " + spec, parts[2], Language::parse)) : Optional.empty();
      if (parts.length > 3) {
        throw new InputException("--task " + spec + " has too many parts; write task[:from[,from…][:to]], such as translate:ja:en");
      }
      return parse("--task " + spec, "", x -> new TaskSpec(task, from, to));
    }

    /** Regular files under the folder, by relative path; refuses links that leave it and special files. */
    static java.util.SortedMap<RelativePath, Path> files(Path dir) throws InputException, IOException {
      if (!Files.isDirectory(dir)) {
        throw new InputException(dir + " is not a folder; give the folder holding the model's files");
      }
      Path real = dir.toRealPath();
      java.util.SortedMap<RelativePath, Path> out = new java.util.TreeMap<>(java.util.Comparator.comparing(RelativePath::value));
      List<String> problems = new ArrayList<>();
      Files.walkFileTree(real, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          String rel = real.relativize(file).toString().replace(java.io.File.separatorChar, '/');
          Path target = file;
          if (attrs.isSymbolicLink()) {
            Path to;
            try {
              to = file.toRealPath();
            } catch (IOException e) {
              problems.add(rel + " is a broken symbolic link");
              return FileVisitResult.CONTINUE;
            }
            if (!to.startsWith(real) || !Files.isRegularFile(to, LinkOption.NOFOLLOW_LINKS)) {
              problems.add(rel + " is a symbolic link to " + to + ", outside " + dir + " or not a regular file");
              return FileVisitResult.CONTINUE;
            }
            target = to;
          } else if (!attrs.isRegularFile()) {
            problems.add(rel + " is not a regular file");
            return FileVisitResult.CONTINUE;
          }
          try {
            out.put(RelativePath.parse(rel), target);
          } catch (IllegalArgumentException e) {
            problems.add(rel + ": " + e.getMessage());
          }
          return FileVisitResult.CONTINUE;
        }
      });
      if (!problems.isEmpty()) {
        throw new InputException("cannot describe " + dir + ": " + String.join("; ", problems)
            + (problems.size() > 1 ? "" : "") + "; a manifest lists only regular files inside the folder");
      }
      return out;
    }

    private static String encode(String path) throws InputException {
      try {
        return new URI(null, null, path, null).getRawPath();
      } catch (URISyntaxException e) {
        throw new InputException("cannot put " + path + " in a URL: " + e.getReason(), e);
      }
    }

    interface Parser<T> {
      T parse(String s);
    }

    private static <T> T parse(String what, String text, Parser<T> p) throws InputException {
      try {
        return p.parse(text);
      } catch (IllegalArgumentException e) {
        throw new InputException(what + ": " + e.getMessage(), e);
      }
    }
  }
}
