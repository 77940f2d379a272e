package soko.engine.phrasebook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Phrases keyed by their source text, as a trie over Unicode code points. Spaces are not part of
 * the keys: a space in a phrase or in the text being looked up is skipped, so "만나서 반갑습니다"
 * matches "만나서반갑습니다" and "만나서  반갑습니다" alike.
 *
 * <p>Immutable once built, and so thread-safe.
 */
final class PhraseTrie {
  /** One phrase found in the text: it spans code points [start, end) and is {@code length} key code points long. */
  record Match(int start, int end, int length, String english) {}

  private final Node root;
  private final int size;

  private PhraseTrie(Node root, int size) {
    this.root = root;
    this.size = size;
  }

  int size() {
    return size;
  }

  /**
   * Every phrase that starts at {@code start}, shortest first. {@code text} holds code points in
   * which every space is U+0020; the caller never starts at a space.
   */
  List<Match> matchesAt(int[] text, int start) {
    List<Match> found = new ArrayList<>(2);
    Node node = root;
    for (int i = start; i < text.length; i++) {
      if (text[i] == ' ') {
        continue;
      }
      node = node.children.get(text[i]);
      if (node == null) {
        break;
      }
      if (node.english != null) {
        found.add(new Match(start, i + 1, node.depth, node.english));
      }
    }
    return found;
  }

  /** The source key of a phrase as the trie stores it: its code points without spaces. */
  static int[] key(String source) {
    return source.codePoints().filter(c -> c != ' ').toArray();
  }

  /** Collects phrases; not thread-safe. */
  static final class Builder {
    private final Node root = new Node(0);
    private int size;

    /**
     * Adds a phrase.
     *
     * @param line where the phrase comes from, reported for a later duplicate
     * @return the line of the phrase already stored under the same key, if any; this one is then not added
     */
    OptionalInt add(int[] key, String english, int line) {
      if (key.length == 0) {
        throw new IllegalArgumentException("empty phrase key");
      }
      Node node = root;
      for (int c : key) {
        Node parent = node;
        node = parent.children.computeIfAbsent(c, k -> new Node(parent.depth + 1));
      }
      if (node.english != null) {
        return OptionalInt.of(node.line);
      }
      node.english = english;
      node.line = line;
      size++;
      return OptionalInt.empty();
    }

    int size() {
      return size;
    }

    PhraseTrie build() {
      return new PhraseTrie(root, size);
    }
  }

  private static final class Node {
    final Map<Integer, Node> children = new HashMap<>(4);
    final int depth;
    @Nullable String english;
    /** The line that added the phrase, reported for a duplicate. */
    int line;

    Node(int depth) {
      this.depth = depth;
    }
  }
}
