package soko.engine.onnx.trie;

import java.util.Arrays;

/**
 * A trie over 16-bit symbols (UTF-16 code units, or unsigned bytes), stored as an open-addressing
 * table from (node, symbol) to child node, with a value per node (-1 where no entry ends). The root
 * is node 0. Compact enough for vocabularies of a few hundred thousand entries. Not thread-safe while
 * being built; read-only use afterwards is thread-safe.
 */
public final class Trie {
  private static final int NONE = -1;

  private long[] keys;
  private int[] children;
  private int[] values;
  private int nodes = 1;
  private int edges;

  /** A trie sized for about {@code expectedSymbols} symbols in all its entries; it grows past that. */
  public Trie(int expectedSymbols) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedSymbols * 2)) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, NONE);
    children = new int[capacity];
    values = new int[Math.max(16, expectedSymbols + 1)];
    Arrays.fill(values, NONE);
  }

  /** Adds the path of {@code entry}'s UTF-16 code units and returns the node where it ends. */
  public int add(CharSequence entry) {
    int node = 0;
    for (int i = 0; i < entry.length(); i++) {
      node = childOrNew(node, entry.charAt(i));
    }
    return node;
  }

  /** Adds the path of {@code entry}'s bytes and returns the node where it ends. */
  public int add(byte[] entry) {
    int node = 0;
    for (byte b : entry) {
      node = childOrNew(node, b & 0xff);
    }
    return node;
  }

  /** Sets the value at a node returned by {@code add}; {@code value} is not negative. */
  public void setValue(int node, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("value < 0");
    }
    values[node] = value;
  }

  /** The value at a node, or -1 when no entry ends there. */
  public int value(int node) {
    return values[node];
  }

  /** The child of {@code node} along the code unit {@code c}, or -1. */
  public int child(int node, char c) {
    return child(node, (int) c);
  }

  /** The child of {@code node} along the byte {@code b}, or -1. */
  public int child(int node, byte b) {
    return child(node, b & 0xff);
  }

  /** The length in bytes of the longest entry that starts at {@code from}, or 0. */
  public int longestMatch(byte[] input, int from) {
    int node = 0;
    int best = 0;
    for (int i = from; i < input.length && node >= 0; i++) {
      node = child(node, input[i]);
      if (node >= 0 && values[node] >= 0) {
        best = i - from + 1;
      }
    }
    return best;
  }

  private static long key(int node, int symbol) {
    return ((long) node << 16) | symbol;
  }

  private static int slot(long key, int mask) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
  }

  private int child(int node, int symbol) {
    long k = key(node, symbol);
    int mask = keys.length - 1;
    for (int i = slot(k, mask); ; i = (i + 1) & mask) {
      if (keys[i] == k) {
        return children[i];
      }
      if (keys[i] == NONE) {
        return NONE;
      }
    }
  }

  private int childOrNew(int node, int symbol) {
    int next = child(node, symbol);
    if (next >= 0) {
      return next;
    }
    next = nodes++;
    if (nodes > values.length) {
      int old = values.length;
      values = Arrays.copyOf(values, old * 2);
      Arrays.fill(values, old, values.length, NONE);
    }
    if ((edges + 1) * 2 > keys.length) {
      grow();
    }
    insert(keys, children, key(node, symbol), next);
    edges++;
    return next;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldChildren = children;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, NONE);
    children = new int[oldKeys.length * 2];
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != NONE) {
        insert(keys, children, oldKeys[j], oldChildren[j]);
      }
    }
  }

  private static void insert(long[] keys, int[] children, long key, int child) {
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (keys[i] != NONE) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    children[i] = child;
  }
}
