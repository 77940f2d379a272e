package soko.engine.onnx.sentencepiece;

import java.util.Arrays;

/**
 * A byte trie over pieces, stored as an open-addressing table from (node, byte) to child node, with
 * the piece id at each node that ends a piece (-1 otherwise).
 */
final class PieceTrie {
  private long[] keys;
  private int[] children;
  private int[] values;
  private int nodes = 1;
  private int edges;

  PieceTrie(int expectedBytes) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedBytes * 2)) << 1;
    keys = new long[capacity];
    Arrays.fill(keys, -1);
    children = new int[capacity];
    values = new int[Math.max(16, expectedBytes + 1)];
    Arrays.fill(values, -1);
  }

  static PieceTrie empty() {
    return new PieceTrie(0);
  }

  /** Adds a piece; the first id given for the same bytes is kept. */
  void add(byte[] piece, int id) {
    int node = 0;
    for (byte b : piece) {
      int next = child(node, b);
      if (next < 0) {
        next = nodes++;
        if (nodes > values.length) {
          int old = values.length;
          values = Arrays.copyOf(values, old * 2);
          Arrays.fill(values, old, values.length, -1);
        }
        put(node, b, next);
      }
      node = next;
    }
    if (values[node] < 0) {
      values[node] = id;
    }
  }

  private static long key(int node, byte b) {
    return ((long) node << 8) | (b & 0xff);
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) & mask;
  }

  int child(int node, byte b) {
    long k = key(node, b);
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

  private void put(int node, byte b, int child) {
    if ((edges + 1) * 2 > keys.length) {
      grow();
    }
    long k = key(node, b);
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

  /** The id at a node, or -1 when no piece ends there. */
  int value(int node) {
    return values[node];
  }

  /** The length in bytes of the longest piece that starts at {@code from}, or 0. */
  int longestMatch(byte[] input, int from) {
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
}
