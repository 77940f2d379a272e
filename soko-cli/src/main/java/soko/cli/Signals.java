package soko.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C and terminal-resize handlers through {@code sun.misc.Signal} (module jdk.unsupported,
 * which the distribution links), reached by reflection: javac reports every direct use as
 * internal proprietary API, a warning no option or annotation silences, and the build fails on
 * warnings.
 */
final class Signals {
  /** A handler in place; {@link #restore} puts back the one it replaced. */
  @FunctionalInterface
  interface Installed {
    void restore();
  }

  /** Nothing was installed, so there is nothing to restore. */
  static final Installed NONE = () -> {};

  private Signals() {}

  /**
   * Runs {@code handler} on the JVM's signal thread for each signal {@code name} (such as INT or
   * WINCH). Returns {@link #NONE} where the signal does not exist (WINCH on Windows) or the JVM
   * keeps it (-Xrs).
   */
  static Installed handle(String name, Runnable handler) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object signal = signalType.getConstructor(String.class).newInstance(name);
      Object proxy = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
          (self, method, args) -> switch (method.getName()) {
            case "handle" -> {
              handler.run();
              yield null;
            }
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "soko's SIG" + name + " handler";
          });
      Method handle = signalType.getMethod("handle", signalType, handlerType);
      Object previous = handle.invoke(null, signal, proxy);
      return () -> {
        try {
          handle.invoke(null, signal, previous);
        } catch (ReflectiveOperationException e) {
          // The same call succeeded when the handler was installed; nothing better to do at exit.
        }
      };
    } catch (InvocationTargetException e) { // IllegalArgumentException: no such signal, or the JVM keeps it
      return NONE;
    } catch (ReflectiveOperationException | LinkageError e) { // a JVM without jdk.unsupported
      return NONE;
    }
  }
}
