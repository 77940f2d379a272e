package soko.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Manual pages (troff, {@code man(7)} macros) generated from the command tree: {@code soko.1} and
 * one {@code soko-COMMAND[-SUBCOMMAND].1} per command. picocli's own generator writes AsciiDoc,
 * which needs asciidoctor to become a manual page; these need nothing. The build writes them under
 * {@code soko-cli/target/man/}.
 */
final class ManPages {
  /** Footer lines of the form "Heading: text" with these headings become sections of their own. */
  private static final Map<String, String> SECTIONS = Map.of("Environment", "ENVIRONMENT", "Exit codes", "EXIT STATUS");

  private ManPages() {}

  /** Every page, by file name ({@code soko-cache-clear.1}), parents before children. */
  static Map<String, String> all(CommandLine tree, String version) {
    Map<String, String> out = new LinkedHashMap<>();
    add(out, tree, version);
    return out;
  }

  private static void add(Map<String, String> out, CommandLine cl, String version) {
    out.put(pageName(cl.getCommandSpec()) + ".1", page(cl, version));
    for (CommandLine sub : distinct(cl)) {
      add(out, sub, version);
    }
  }

  /** The subcommands once each (aliases map to the same command), hidden ones left out. */
  private static List<CommandLine> distinct(CommandLine cl) {
    List<CommandLine> out = new ArrayList<>();
    for (CommandLine sub : Completion.visible(cl).values()) {
      if (!out.contains(sub)) {
        out.add(sub);
      }
    }
    return out;
  }

  static String pageName(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  static String page(CommandLine cl, String version) {
    CommandSpec spec = cl.getCommandSpec();
    String name = pageName(spec);
    StringBuilder sb = new StringBuilder();
    sb.append(".\\\" Generated from the command tree of soko; do not edit.\n");
    sb.append(".TH \"").append(roff(name.toUpperCase(Locale.ROOT))).append("\" \"1\" \"\" \"").append(roff(version))
        .append("\" \"Soko Manual\"\n");
    sb.append(".nh\n.ad l\n"); // no hyphenation, ragged right: command names and options stay whole
    sb.append(".SH NAME\n").append(roff(name)).append(" \\- ").append(text(summary(spec))).append('\n');

    sb.append(".SH SYNOPSIS\n.B ").append(roff(spec.qualifiedName(" "))).append('\n');
    for (OptionSpec o : spec.options()) {
      if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
        String use = "\\fB" + roff(longest(o)) + "\\fR" + (o.arity().max() > 0 ? "=\\fI" + roff(o.paramLabel()) + "\\fR" : "")
            + (o.isMultiValue() ? "..." : "");
        sb.append(o.required() ? use : "[" + use + "]").append('\n');
      }
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        String use = "\\fI" + roff(p.paramLabel()) + "\\fR" + (p.isMultiValue() ? "..." : "");
        sb.append(p.arity().min() > 0 ? use : "[" + use + "]").append('\n');
      }
    }
    if (!distinct(cl).isEmpty()) {
      sb.append("\\fICOMMAND\\fR\n");
    }

    sb.append(".SH DESCRIPTION\n");
    List<String> paragraphs = new ArrayList<>();
    if (spec.usageMessage().description().length == 0) { // else NAME has said it
      paragraphs.addAll(List.of(spec.usageMessage().header()));
    }
    for (String line : spec.usageMessage().description()) {
      paragraphs.add(line);
    }
    Map<String, String> sections = new LinkedHashMap<>();
    for (String line : spec.usageMessage().footer()) {
      if (line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(": ");
      String section = colon > 0 ? SECTIONS.get(line.substring(0, colon)) : null;
      if (section != null) {
        sections.put(section, line.substring(colon + 2));
      } else {
        paragraphs.add(line);
      }
    }
    sb.append(String.join("\n.PP\n", paragraphs.stream().map(ManPages::text).toList())).append('\n');

    List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!positionals.isEmpty()) {
      sb.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) {
        sb.append(".TP\n\\fI").append(roff(p.paramLabel())).append("\\fR\n").append(text(description(p))).append('\n');
      }
    }
    List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
    if (!options.isEmpty()) {
      sb.append(".SH OPTIONS\n");
      for (OptionSpec o : options) {
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
          names.add("\\fB" + roff(n) + "\\fR" + (o.arity().max() > 0 ? "=\\fI" + roff(o.paramLabel()) + "\\fR" : ""));
        }
        sb.append(".TP\n").append(String.join(", ", names)).append('\n').append(text(description(o))).append('\n');
      }
    }
    List<CommandLine> subs = distinct(cl);
    if (!subs.isEmpty()) {
      sb.append(".SH COMMANDS\n");
      for (CommandLine sub : subs) {
        CommandSpec s = sub.getCommandSpec();
        List<String> names = new ArrayList<>();
        names.add("\\fB" + roff(s.name()) + "\\fR");
        for (String alias : s.aliases()) {
          names.add("\\fB" + roff(alias) + "\\fR");
        }
        sb.append(".TP\n").append(String.join(", ", names)).append('\n').append(text(summary(s)))
            .append(" See \\fB").append(roff(pageName(s))).append("\\fR(1).\n");
      }
    }
    sections.forEach((section, body) -> sb.append(".SH \"").append(section).append("\"\n").append(text(body)).append('\n'));

    List<String> seeAlso = new ArrayList<>();
    if (spec.parent() != null) {
      seeAlso.add(pageName(spec.parent()));
    }
    subs.forEach(s -> seeAlso.add(pageName(s.getCommandSpec())));
    if (!seeAlso.isEmpty()) {
      sb.append(".SH \"SEE ALSO\"\n").append(String.join(",\n",
          seeAlso.stream().map(s -> "\\fB" + roff(s) + "\\fR(1)").toList())).append('\n');
    }
    return sb.toString();
  }

  private static String longest(OptionSpec o) {
    return o.longestName();
  }

  private static String summary(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    String[] description = spec.usageMessage().description();
    return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
  }

  private static String description(ArgSpec a) {
    return String.join(" ", a.description());
  }

  /**
   * Prose for a page: troff-escaped, {@code `code`} in bold, picocli's {@code %n} as a line break,
   * and a line that would start with a control character ('.' or "'") protected.
   */
  static String text(String s) {
    String plain = s.replace("%n", "\n").replace("%%", "%");
    StringBuilder sb = new StringBuilder();
    String[] parts = plain.split("`", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = roff(parts[i]);
      // An odd part is between backticks; an unpaired last backtick stays plain.
      sb.append(i % 2 == 1 && i < parts.length - 1 ? "\\fB" + part + "\\fR" : (i % 2 == 1 ? "`" + part : part));
    }
    return protectLines(sb.toString());
  }

  /** Escapes backslashes and minus signs (so that options print as ASCII hyphen-minus). */
  static String roff(String s) {
    return s.replace("\\", "\\e").replace("-", "\\-");
  }

  private static String protectLines(String s) {
    StringBuilder sb = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (!sb.isEmpty()) {
        sb.append("\n.br\n");
      }
      String l = line.strip();
      sb.append(l.startsWith(".") || l.startsWith("'") ? "\\&" + l : l);
    }
    return sb.toString();
  }
}
