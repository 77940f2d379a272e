package soko.engine.onnx.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import soko.engine.onnx.json.JsonFormatException;
import soko.engine.onnx.json.Node;

/**
 * A {@code TemplateProcessing} post-processor: where the special tokens go around a single sequence,
 * such as {@code [__ja__, $A, </s>]} for M2M100 or {@code [$A, </s>]} for Marian. Pair templates
 * are read and checked but not used: Soko encodes single sequences only. Immutable.
 *
 * @param single the template for one sequence
 */
record Template(List<Item> single) {
  static final int MAX_ITEMS = 64;
  static final int MAX_SPECIAL_IDS = 64;

  /** One item of a template. */
  sealed interface Item permits Sequence, Special {}

  /** The encoded text. */
  record Sequence() implements Item {}

  /** A special token by name, with the ids and token strings it stands for. */
  record Special(String name, List<Integer> ids, List<String> tokens) implements Item {
    Special {
      ids = List.copyOf(ids);
      tokens = List.copyOf(tokens);
    }
  }

  Template {
    single = List.copyOf(single);
  }

  static Template read(Node n) throws JsonFormatException {
    String type = n.get("type").text();
    if (!type.equals("TemplateProcessing")) {
      throw n.get("type").problem("\"" + type + "\" is not a supported post-processor; Soko supports"
          + " TemplateProcessing");
    }
    n.object(Set.of("type", "single", "pair", "special_tokens"));
    Map<String, Special> specials = new HashMap<>();
    for (Node.Member m : n.get("special_tokens").members(MAX_ITEMS * 4)) {
      Node t = m.value().object(Set.of("id", "ids", "tokens"));
      if (!t.get("id").text().equals(m.key())) {
        throw t.get("id").problem("the special token is filed under \"" + m.key() + "\" but names itself \""
            + t.get("id").text() + "\"");
      }
      List<Integer> ids = new ArrayList<>();
      for (Node id : t.get("ids").array(MAX_SPECIAL_IDS)) {
        ids.add((int) id.integer(0, Integer.MAX_VALUE));
      }
      List<String> tokens = new ArrayList<>();
      for (Node token : t.get("tokens").array(MAX_SPECIAL_IDS)) {
        tokens.add(token.text());
      }
      if (ids.size() != tokens.size()) {
        throw t.problem("has " + ids.size() + " ids but " + tokens.size() + " tokens");
      }
      specials.put(m.key(), new Special(m.key(), ids, tokens));
    }
    List<Item> single = items(n.get("single"), specials);
    items(n.get("pair"), specials);
    return new Template(single);
  }

  private static List<Item> items(Node list, Map<String, Special> specials) throws JsonFormatException {
    List<Item> out = new ArrayList<>();
    for (Node item : list.array(MAX_ITEMS)) {
      item.object(Set.of("Sequence", "SpecialToken"));
      if (item.opt("Sequence").isPresent()) {
        Node s = item.get("Sequence").object(Set.of("id", "type_id"));
        String id = s.get("id").text();
        if (!id.equals("A") && !id.equals("B")) {
          throw s.get("id").problem("expected \"A\" or \"B\", found \"" + id + "\"");
        }
        s.get("type_id").integer(0, Integer.MAX_VALUE);
        out.add(new Sequence());
      } else if (item.opt("SpecialToken").isPresent()) {
        Node s = item.get("SpecialToken").object(Set.of("id", "type_id"));
        s.get("type_id").integer(0, Integer.MAX_VALUE);
        Special special = specials.get(s.get("id").text());
        if (special == null) {
          throw s.get("id").problem("the special token \"" + s.get("id").text() + "\" is not in special_tokens");
        }
        out.add(special);
      } else {
        throw item.problem("expected {\"Sequence\": …} or {\"SpecialToken\": …}");
      }
    }
    return out;
  }
}
