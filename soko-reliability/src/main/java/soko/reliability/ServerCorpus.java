package soko.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import soko.testkit.http.Fault;
import soko.testkit.http.FaultServer;

/**
 * The server-behaviour corpus ({@code server-behaviours.tsv}): each row is a download server that
 * misbehaves in one way, the exit code {@code soko install MODEL.json --yes} must end with, and a
 * fragment its message must hold. Each case gets a fresh home and a 1 MiB model whose only source
 * (or sources) is that server; after the install, a model that exited 0 must verify in full, a
 * model that failed must not be listed, nothing outside the roots may change, and no output may
 * hold a stack trace.
 *
 * <p>A row marked {@code pending} states the right behaviour, and in {@code now} what the code
 * does today (an exit code, or {@code hang}); the run accepts either, says "fixed: flip the row"
 * when the right one is seen, and fails on anything else.
 */
final class ServerCorpus {
  static final String RESOURCE = "/soko/reliability/server-behaviours.tsv";
  static final int BODY = 1 << 20;
  /** Long enough for four attempts with backoff; the slow rows are not in CI. */
  static final Duration CI_LIMIT = Duration.ofSeconds(120);
  /**
   * Long enough for a fixed slow-body check (a minimum rate over a window of about a minute, with
   * retries); a case still running after this is a hang.
   */
  static final Duration FULL_LIMIT = Duration.ofSeconds(330);

  /** One row of the corpus. */
  record Case(String id, String server, String behaviour, List<String> sources, int exit, String message,
      String absent, boolean ci, Optional<String> pending, String now, String note) {
    Case {
      sources = List.copyOf(sources);
    }
  }

  /** How a case ended, and the verdict. */
  record Result(Case c, Run install, String verdict, List<String> problems) {
    boolean failed() {
      return verdict.equals("FAIL");
    }
  }

  record Options(long seed, Path run, Path jar, Optional<Path> aot, boolean ciOnly, List<String> only, int parallel,
      Duration limit) {}

  private final Options options;
  private final Tally tally = new Tally(List.of());
  private final List<Result> results = new ArrayList<>();
  private Tls tls;

  private ServerCorpus(Options options) {
    this.options = options;
  }

  static List<Case> load() {
    List<Case> cases = new ArrayList<>();
    try (var in = ServerCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String header = null;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (header == null) {
          header = line;
          if (!f[0].equals("id") || f.length != 11) {
            throw new IllegalStateException("the corpus header must have 11 columns starting with id: " + line);
          }
          continue;
        }
        if (f.length != 11) {
          throw new IllegalStateException("corpus row with " + f.length + " columns instead of 11: " + line);
        }
        Optional<String> pending = f[8].startsWith("pending") ? Optional.of(f[8].substring(7).strip()) : Optional.empty();
        if (!pending.isPresent() && !f[8].equals("holds")) {
          throw new IllegalStateException("status must be holds or pending REF: " + line);
        }
        cases.add(new Case(f[0], f[1], f[2], List.of(f[3].split(",")), Integer.parseInt(f[4]), unescape(f[5]),
            unescape(f[6]), f[7].equals("ci"), pending, f[9], f[10]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  private static String unescape(String s) {
    return s.equals("-") ? "" : s.replace("\\e", "\u001b").replace("\\a", "\u0007").replace("\\t", "\t");
  }

  static Results run(Options options) throws Exception {
    return new ServerCorpus(options).runAll();
  }

  /** The verdicts and figures of a run. */
  record Results(List<Result> results, Tally tally) {
    List<Result> failures() {
      return results.stream().filter(Result::failed).toList();
    }
  }

  private Results runAll() throws Exception {
    List<Case> cases = load().stream()
        .filter(c -> !options.ciOnly() || c.ci())
        .filter(c -> options.only().isEmpty() || options.only().contains(c.id()))
        .toList();
    System.out.println("server corpus: " + cases.size() + " case(s), " + options.parallel() + " at a time, limit "
        + options.limit().toSeconds() + " s each, seed " + options.seed() + ", in " + options.run());
    tls = Tls.create(options.run().resolve("tls"));
    try (ExecutorService pool = Executors.newFixedThreadPool(options.parallel())) {
      List<Future<Result>> futures = new ArrayList<>();
      for (Case c : cases) {
        futures.add(pool.submit(() -> runCase(c)));
      }
      for (Future<Result> f : futures) {
        Result r = f.get();
        synchronized (results) {
          results.add(r);
        }
      }
    }
    System.out.println(report());
    return new Results(List.copyOf(results), tally);
  }

  String report() {
    StringBuilder b = new StringBuilder("server corpus, seed " + options.seed() + "\n");
    long refusals = results.stream().filter(r -> r.install().finished() && r.install().exit() != 0).count();
    b.append("  cases tried: ").append(results.size()).append('\n');
    b.append("  refusals (exit ≠ 0): ").append(refusals).append('\n');
    b.append("  as expected: ").append(results.stream().filter(r -> r.verdict().equals("PASS")).count()).append('\n');
    b.append("  pending, still as recorded: ").append(results.stream().filter(r -> r.verdict().equals("KNOWN")).count()).append('\n');
    b.append("  pending, now fixed: ").append(results.stream().filter(r -> r.verdict().equals("FIXED")).count()).append('\n');
    b.append("  failed: ").append(results.stream().filter(Result::failed).count()).append('\n');
    b.append(tally.report("  figures over every command of the corpus").replace("\n", "\n  ")).append('\n');
    for (Result r : results) {
      b.append(String.format(Locale.ROOT, "  %-6s %-34s %s%n", r.verdict(), r.c().id(),
          Text.clip(r.install().summary().replaceFirst("^soko .*? → ", ""), 220)));
      for (String p : r.problems()) {
        b.append("         ").append(p).append('\n');
      }
    }
    return b.toString();
  }

  private Result runCase(Case c) throws Exception {
    Path dir = options.run().resolve("cases").resolve(c.id());
    Files.createDirectories(dir);
    Random random = new Random(options.seed() ^ c.id().hashCode());
    byte[] body = Models.random(random, BODY);
    Models.Model model = new Models.Model("corpus-" + c.id(), "1.0.0", Map.of("model.bin", body));
    World world = World.create(dir.resolve("world"), random);
    List<AutoCloseable> servers = new ArrayList<>();
    try {
      FaultServer good = FaultServer.start();
      servers.add(good);
      good.serve("/model.bin", body);
      List<URI> sources = new ArrayList<>();
      URI main = start(c, body, good, servers, dir);
      for (String s : c.sources()) {
        sources.add(switch (s) {
          case "main" -> main;
          case "good" -> good.uri("/model.bin");
          case "closed" -> URI.create("http://127.0.0.1:" + closedPort() + "/model.bin");
          // RFC 2606: .invalid never resolves.
          case "unresolvable" -> URI.create("http://models.soko-reliability.invalid/model.bin");
          case "second" -> start(c, body, good, servers, dir);
          default -> throw new IllegalArgumentException(c.id() + ": unknown source " + s);
        });
      }
      Path manifest = model.writeManifest(dir.resolve("model.json"), p -> sources);
      plant(c, world, body);
      List<String> jvm = new ArrayList<>(Aot.options(options.aot()));
      jvm.addAll(tls.clientJvmOptions());
      Cli cli = new Cli(options.jar(), dir.resolve("logs"), dir.resolve("user-home"), jvm, Map.of());
      StoreCheck check = new StoreCheck(cli, world, Map.of(model.name(), model), tally);
      Run install = cli.run(options.limit(), world.args("install", manifest.toString(), "--yes"));
      tally.inspect(c.id(), install);
      // The store must agree with the exit code: installed and intact after 0, absent after a failure.
      StoreCheck.State state = check.quick(c.id() + " (after the install)");
      List<String> problems = new ArrayList<>();
      for (Tally.Finding f : tally.findings()) {
        if (f.context().equals(c.id()) || f.context().startsWith(c.id() + " (")) {
          problems.add(f.kind() + ": " + Text.clip(f.detail().replaceFirst("^soko .*? → ", ""), 300));
        }
      }
      if (install.ok() && !state.has(model.name())) {
        problems.add("exit 0 but " + model.name() + " is not listed");
      }
      if (install.finished() && install.exit() != 0 && state.has(model.name())) {
        problems.add("exit " + install.exit() + " but " + model.name() + " is listed as installed");
        tally.add(Tally.Kind.HALF_INSTALLED, c.id(), "listed after a failed install: " + install.summary());
      }
      String verdict = verdict(c, install, problems);
      System.out.printf(Locale.ROOT, "  %-6s %s: %s%n", verdict, c.id(), Text.clip(install.summary()
          .replaceFirst("^soko .*? → ", ""), 200));
      return new Result(c, install, verdict, problems);
    } finally {
      for (AutoCloseable s : servers) {
        s.close();
      }
    }
  }

  /** PASS, FIXED (a pending row now behaves right), KNOWN (a pending row as recorded) or FAIL. */
  private static String verdict(Case c, Run install, List<String> problems) {
    List<String> wrong = new ArrayList<>();
    String all = install.out() + "\n" + install.err();
    if (install.hung()) {
      wrong.add("hung (no exit within the limit)");
    } else if (install.exit() != c.exit()) {
      wrong.add("exit " + install.exit() + ", expected " + c.exit());
    }
    if (!c.message().isEmpty() && !install.err().toLowerCase(Locale.ROOT).contains(c.message().toLowerCase(Locale.ROOT))) {
      wrong.add("the message lacks \"" + c.message() + "\"");
    }
    if (!c.absent().isEmpty() && all.contains(c.absent())) {
      wrong.add("the output contains \"" + Text.clip(c.absent(), 40) + "\", which it must not");
    }
    if (wrong.isEmpty() && problems.isEmpty()) {
      return c.pending().isPresent() ? "FIXED" : "PASS";
    }
    if (c.pending().isPresent() && matchesNow(c, install)) {
      problems.add(0, "pending (" + c.pending().get() + "): " + String.join("; ", wrong));
      return "KNOWN";
    }
    problems.addAll(0, wrong);
    return "FAIL";
  }

  /** {@code now}: "hang", "CODE" or "CODE:fragment" — what the code did when the row was written. */
  private static boolean matchesNow(Case c, Run install) {
    String now = c.now();
    if (now.equals("hang")) {
      return install.hung();
    }
    String[] p = now.split(":", 2);
    return install.finished() && install.exit() == Integer.parseInt(p[0])
        && (p.length == 1 || install.err().toLowerCase(Locale.ROOT).contains(p[1].toLowerCase(Locale.ROOT)));
  }

  /** Starts the case's main server; returns the model's URL on it. */
  private URI start(Case c, byte[] body, FaultServer good, List<AutoCloseable> servers, Path dir) throws Exception {
    return switch (c.server()) {
      case "fault" -> {
        FaultServer s = FaultServer.start();
        servers.add(s);
        FaultSpec.apply(c.behaviour(), s, body, good);
        yield s.uri("/model.bin");
      }
      case "raw" -> {
        ScriptedServer s = ScriptedServer.start(Scripts.named(c.behaviour(), body, good.uri("/model.bin")));
        servers.add(s);
        yield s.uri("/model.bin");
      }
      case "tls" -> {
        ScriptedServer s = ScriptedServer.startTls(tls.server(), Scripts.named(c.behaviour(), body, good.uri("/model.bin")));
        servers.add(s);
        yield s.uri("/model.bin");
      }
      case "nginx" -> {
        Path ndir = dir.resolve("nginx-" + servers.size());
        NginxSite n = NginxSite.start(ndir, NginxLocations.named(c.behaviour()));
        servers.add(n);
        Path www = ndir.resolve("www");
        if (!c.behaviour().equals("missing")) {
          Files.write(www.resolve("model.bin"), body);
        }
        yield n.uri("/model.bin");
      }
      default -> throw new IllegalArgumentException(c.id() + ": unknown server " + c.server());
    };
  }

  /**
   * {@code plant(KIND)} in a fault row's behaviour: before the install, puts a partial download
   * where README's on-disk layout keeps them ({@code <cache>/downloads/<sha256>.partial}), with no
   * metadata: {@code complete} (the right bytes), {@code complete-wrong} (right length, wrong
   * bytes), {@code longer} (the right bytes and 100 more), {@code half} (the first half), or
   * {@code link-to-user-file} (a symbolic link to a user's file outside the store).
   */
  private static void plant(Case c, World world, byte[] body) throws IOException {
    for (String item : c.behaviour().split(";")) {
      String it = item.strip();
      if (!it.startsWith("plant(")) {
        continue;
      }
      String kind = it.substring(6, it.length() - 1);
      Path downloads = Files.createDirectories(world.cache().resolve("downloads"));
      Path partial = downloads.resolve(Snapshot.sha256(body) + ".partial");
      switch (kind) {
        case "complete" -> Files.write(partial, body);
        case "complete-wrong" -> {
          byte[] wrong = body.clone();
          wrong[wrong.length / 3] ^= 1;
          Files.write(partial, wrong);
        }
        case "longer" -> {
          Files.write(partial, body);
          Files.write(partial, new byte[100], java.nio.file.StandardOpenOption.APPEND);
        }
        case "half" -> Files.write(partial, java.util.Arrays.copyOf(body, body.length / 2));
        case "link-to-user-file" -> Files.createSymbolicLink(partial, world.dir().resolve("notes.txt"));
        default -> throw new IllegalArgumentException(c.id() + ": unknown plant(" + kind + ")");
      }
    }
  }

  /** A port nothing listens on (bound, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The {@code fault} rows' behaviour column: see the corpus file's header. */
  static final class FaultSpec {
    private FaultSpec() {}

    static void apply(String spec, FaultServer server, byte[] body, FaultServer good) {
      FaultServer.Route route = server.serve("/model.bin", body);
      server.serve("/mirror/model.bin", body);
      if (spec.equals("-")) {
        return;
      }
      for (String item : spec.split(";")) {
        String it = item.strip();
        if (it.startsWith("plant(")) {
          continue; // done by the runner in the store (see plant)
        }
        int times = 1;
        int star = it.indexOf('*');
        if (star > 0 && it.substring(0, star).chars().allMatch(Character::isDigit)) {
          times = Integer.parseInt(it.substring(0, star));
          it = it.substring(star + 1);
        }
        String name = it.contains("(") ? it.substring(0, it.indexOf('(')) : it;
        String args = it.contains("(") ? it.substring(it.indexOf('(') + 1, it.lastIndexOf(')')) : "";
        String[] a = args.split(",", 2);
        switch (name) {
          case "no-ranges" -> route.rangeSupport(false);
          case "no-if-range" -> route.ifRangeSupport(false);
          case "loop" -> server.redirect("/model.bin", Integer.parseInt(args), server.uri("/model.bin"));
          default -> route.then(times, fault(name, a, server, good));
        }
      }
    }

    private static Fault fault(String name, String[] a, FaultServer server, FaultServer good) {
      return switch (name) {
        case "truncate" -> new Fault.TruncateAfter(Long.parseLong(a[0]));
        case "reset" -> new Fault.ResetAfter(Long.parseLong(a[0]));
        case "stall" -> new Fault.StallAfter(Long.parseLong(a[0]), Duration.ofSeconds(Long.parseLong(a[1].strip())));
        case "ignore-range" -> new Fault.IgnoreRange();
        case "length" -> new Fault.WrongContentLength(Long.parseLong(a[0].replace("+", "")));
        case "extra" -> new Fault.ExtraBytes(Integer.parseInt(a[0]));
        case "endless" -> new Fault.Endless();
        case "corrupt" -> new Fault.Corrupt();
        case "status" -> new Fault.Status(Integer.parseInt(a[0]));
        case "retry-after" -> new Fault.RetryAfter(Integer.parseInt(a[0]), a[1].strip());
        case "redirect" -> new Fault.Redirect(Integer.parseInt(a[0]), URI.create(a[1].strip()
            .replace("{self}", "http://127.0.0.1:" + server.port())
            .replace("{localhost}", "http://localhost:" + good.port())
            .replace("{good}", "http://127.0.0.1:" + good.port())));
        case "etag" -> new Fault.NewEtag("\"" + a[0] + "\"");
        default -> throw new IllegalArgumentException("unknown fault " + name);
      };
    }
  }

  /** The {@code nginx} rows' behaviour column: a server block for each name. */
  static final class NginxLocations {
    private NginxLocations() {}

    static String named(String name) {
      return switch (name) {
        case "ok", "missing" -> "location / { }";
        case "slow" -> "location / { limit_rate 256k; }";
        case "one-byte-per-second" -> "location / { limit_rate 1; }";
        case "forbidden" -> "location / { deny all; }";
        case "gone" -> "location / { return 410; }";
        case "bad-gateway" -> "location / { return 502; }";
        case "redirect-loop" -> "location / { return 302 http://$http_host$uri; }";
        case "redirect-ok" -> "location = /model.bin { return 301 /mirror/model.bin; } location /mirror/ { alias %ROOT%/; }";
        case "gzip-offered" -> "gzip on; gzip_types *; gzip_min_length 0; location / { }";
        default -> throw new IllegalArgumentException("no nginx behaviour named " + name);
      };
    }
  }
}
