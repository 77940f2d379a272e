package soko.engine.onnx.tokenizer;

import java.util.Arrays;

/**
 * A trie over UTF-16 code units: an open-addressing table from (node, char) to child node and a
 * value per node (-1 when no entry ends there). Compact enough for vocabularies of a few hundred
 * thousand entries. Not thread-safe while being built; read-only use afterwards is thread-safe.
 */
final class CharTrie {
  private long[] keys;
  private int[] children;
  private int[] values;
  private int nodes = 1;
  private int edges;

  CharTrie(int expectedChars) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedChars * 2)) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, -1);
    children = new int[capacity];
    values = new int[Math.max(16, expectedChars + 1)];
    Arrays.fill(values, -1);
  }

  /** Adds an entry; a later value for the same string replaces an earlier one. */
  void put(String s, int value) {
    int node = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int next = child(node, c);
      if (next < 0) {
        next = nodes++;
        if (nodes > values.length) {
          int old = values.length;
          values = Arrays.copyOf(values, old * 2);
          Arrays.fill(values, old, values.length, -1);
        }
        link(node, c, next);
      }
      node = next;
    }
    values[node] = value;
  }

  private static long key(int node, char c) {
    return ((long) node << 16) | c;
  }

  private static int slot(long key, int mask) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }

  /** The child of {@code node} along {@code c}, or -1. The root is node 0. */
  int child(int node, char c) {
    long k = key(node, c);
    int mask = keys.length - 1;
    for (int i = slot(k, mask); ; i = (i + 1) & mask) {
      if (keys[i] == k) {
        return children[i];
      }
      if (keys[i] == -1) {
        return -1;
      }
    }
  }

  /** The value stored at a node, or -1. */
  int value(int node) {
    return values[node];
  }

  private void link(int node, char c, int child) {
    if ((edges + 1) * 2 > keys.length) {
      grow();
    }
    long k = key(node, c);
    int mask = keys.length - 1;
    int i = slot(k, mask);
    while (keys[i] != -1) {
      i = (i + 1) & mask;
    }
    keys[i] = k;
    children[i] = child;
    edges++;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldChildren = children;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, -1);
    children = new int[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != -1) {
        int i = slot(oldKeys[j], mask);
        while (keys[i] != -1) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        children[i] = oldChildren[j];
      }
    }
  }
}
