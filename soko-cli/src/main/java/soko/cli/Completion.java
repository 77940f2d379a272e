package soko.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Shell completion scripts generated from the command tree: bash by picocli's {@link AutoComplete},
 * zsh here (a native {@code _arguments} function per command, with each option's description).
 * The build writes both under {@code soko-cli/target/completion/}; {@code soko completion SHELL}
 * prints the same text.
 */
final class Completion {
  /** The shells there is a script for. */
  enum Shell {
    bash, zsh
  }

  private Completion() {}

  static String script(Shell shell, CommandLine tree) {
    return switch (shell) {
      case bash -> AutoComplete.bash("soko", tree);
      case zsh -> zsh(tree);
    };
  }

  /** The {@code _soko} file for a folder of zsh's {@code $fpath}. */
  static String zsh(CommandLine tree) {
    StringBuilder sb = new StringBuilder();
    sb.append("#compdef soko\n");
    sb.append("# zsh completion for soko, generated from its command tree. Do not edit: run `soko completion zsh`.\n");
    sb.append("# Install: save as _soko in a folder of $fpath (such as ~/.zfunc, with fpath=(~/.zfunc $fpath)"
        + " before compinit in ~/.zshrc).\n");
    function(sb, tree);
    sb.append("\n_soko \"$@\"\n");
    return sb.toString();
  }

  private static void function(StringBuilder sb, CommandLine cl) {
    CommandSpec spec = cl.getCommandSpec();
    String name = functionName(spec);
    Map<String, CommandLine> subcommands = visible(cl);
    sb.append('\n').append(name).append("() {\n");
    if (subcommands.isEmpty()) {
      sb.append("  _arguments -s -S");
      for (String o : optionSpecs(spec)) {
        sb.append(" \\\n    ").append(o);
      }
      for (String p : positionalSpecs(spec)) {
        sb.append(" \\\n    ").append(p);
      }
      sb.append("\n}\n");
    } else {
      sb.append("  local curcontext=\"$curcontext\" state state_descr line ret=1\n");
      sb.append("  typeset -A opt_args\n");
      sb.append("  _arguments -C -s -S");
      for (String o : optionSpecs(spec)) {
        sb.append(" \\\n    ").append(o);
      }
      sb.append(" \\\n    '1: :->command' \\\n    '*:: :->argument' && ret=0\n");
      sb.append("  case $state in\n");
      sb.append("    command)\n");
      sb.append("      local -a commands=(\n");
      for (Map.Entry<String, CommandLine> e : subcommands.entrySet()) {
        sb.append("        ").append(quote(e.getKey().replace(":", "\\:") + ":" + summary(e.getValue().getCommandSpec())))
            .append('\n');
      }
      sb.append("      )\n");
      sb.append("      _describe -t commands ").append(quote(spec.qualifiedName(" ") + " command"))
          .append(" commands && ret=0\n");
      sb.append("      ;;\n");
      sb.append("    argument)\n");
      sb.append("      curcontext=\"${curcontext%:*:*}:").append(spec.qualifiedName("-")).append("-$words[1]:\"\n");
      sb.append("      case $words[1] in\n");
      Map<CommandLine, List<String>> names = new LinkedHashMap<>();
      subcommands.forEach((n, sub) -> names.computeIfAbsent(sub, k -> new ArrayList<>()).add(n));
      names.forEach((sub, ns) -> sb.append("        ").append(String.join("|", ns)).append(") ")
          .append(functionName(sub.getCommandSpec())).append(" && ret=0 ;;\n"));
      sb.append("      esac\n");
      sb.append("      ;;\n");
      sb.append("  esac\n");
      sb.append("  return ret\n");
      sb.append("}\n");
      for (CommandLine sub : names.keySet()) {
        function(sb, sub);
      }
    }
  }

  /** The subcommands by every name they answer to, in declaration order, without hidden ones. */
  static Map<String, CommandLine> visible(CommandLine cl) {
    Map<String, CommandLine> out = new LinkedHashMap<>();
    cl.getSubcommands().forEach((n, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        out.put(n, sub);
      }
    });
    return out;
  }

  private static String functionName(CommandSpec spec) {
    return "_" + spec.qualifiedName("_").replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static List<String> optionSpecs(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      boolean takesValue = o.arity().max() > 0;
      boolean repeatable = o.isMultiValue();
      String description = "[" + bracketed(firstLine(o.description())) + "]";
      String value = takesValue ? ":" + colonSafe(o.paramLabel()) + ":" + action(o) : "";
      List<String> names = new ArrayList<>();
      for (String n : o.names()) {
        names.add(takesValue ? n + (n.startsWith("--") ? "=" : "+") : n);
      }
      if (names.size() == 1) {
        out.add((repeatable ? "'*" : "'") + names.getFirst() + escape(description + value) + "'");
      } else {
        String exclusion = repeatable ? "'*'" : "'(" + String.join(" ", o.names()) + ")'";
        out.add(exclusion + "{" + String.join(",", names) + "}" + quote(description + value));
      }
    }
    return out;
  }

  private static List<String> positionalSpecs(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (p.hidden()) {
        continue;
      }
      String label = colonSafe(p.paramLabel());
      String optional = p.arity().min() == 0 ? ":" : "";
      if (p.arity().max() > 1 || p.index().isUnresolved() || p.index().max() == Integer.MAX_VALUE) {
        out.add(quote("*:" + label + ":" + action(p)));
      } else {
        out.add(quote((p.index().min() + 1) + optional + ":" + label + ":" + action(p)));
      }
    }
    return out;
  }

  /** Files for paths (folders for a DIR), the values of an enum, nothing to offer otherwise. */
  private static String action(ArgSpec a) {
    Class<?> type = a.auxiliaryTypes().length > 0 ? a.auxiliaryTypes()[0] : a.type();
    if (type.isEnum()) {
      List<String> values = new ArrayList<>();
      a.completionCandidates().forEach(values::add);
      return "(" + String.join(" ", values) + ")";
    }
    if (Path.class.isAssignableFrom(type) || java.io.File.class.isAssignableFrom(type)) {
      return a.paramLabel().toUpperCase(Locale.ROOT).endsWith("DIR") ? "_files -/" : "_files";
    }
    return " ";
  }

  private static String summary(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    return header.length > 0 ? header[0] : firstLine(spec.usageMessage().description());
  }

  private static String firstLine(String[] lines) {
    return lines.length == 0 ? "" : lines[0].replace("%n", " ").strip();
  }

  /** Text inside an {@code _arguments} description: brackets escaped. */
  private static String bracketed(String s) {
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]");
  }

  /** A message or label between colons of an {@code _arguments} spec. */
  private static String colonSafe(String s) {
    return s.replace(":", "\\:");
  }

  /** Single-quoted for zsh. */
  static String quote(String s) {
    return "'" + escape(s) + "'";
  }

  private static String escape(String s) {
    return s.replace("'", "'\\''");
  }
}
