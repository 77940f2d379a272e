package soko.internal.json;

/** A value in a JSON document is wrong: {@link #pointer()} is its RFC 6901 JSON pointer. */
public final class JsonProblem extends Exception {
  private final String pointer;
  private final String problem;

  public JsonProblem(String pointer, String problem) {
    super((pointer.isEmpty() ? "/" : pointer) + ": " + problem);
    this.pointer = pointer;
    this.problem = problem;
  }

  public JsonProblem(String pointer, String problem, Throwable cause) {
    this(pointer, problem);
    initCause(cause);
  }

  /** The JSON pointer of the bad value; {@code ""} is the whole document. */
  public String pointer() {
    return pointer;
  }

  /** What is wrong and what would be valid, without the pointer. */
  public String problem() {
    return problem;
  }
}
