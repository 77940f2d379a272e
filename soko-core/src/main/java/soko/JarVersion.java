package soko;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * The {@code Implementation-Version} of the jar a class was loaded from. On the class path the
 * class's {@link Package} carries it; in a named module it does not (packages of named modules
 * have no manifest attributes), so the module's own {@code META-INF/MANIFEST.MF} is read.
 *
 * <p>In this package, which every Soko module may use, so that the CLI, the engines (for {@link
 * soko.runtime.EngineInfo#version()}) and the User-Agent read versions the one way. Stateless and
 * thread-safe.
 */
public final class JarVersion {
  private JarVersion() {}

  /**
   * The version of the jar {@code c} was loaded from.
   *
   * @param c any class of that jar
   * @return the version, or empty when run from a folder of classes or a jar without one; never throws
   */
  public static Optional<String> of(Class<?> c) {
    String v = c.getPackage().getImplementationVersion();
    if (v != null) {
      return Optional.of(v);
    }
    Module module = c.getModule();
    if (!module.isNamed()) {
      return Optional.empty();
    }
    // META-INF is not a package, so its resources are readable from any module.
    try (InputStream in = module.getResourceAsStream("META-INF/MANIFEST.MF")) {
      return in == null ? Optional.empty()
          : Optional.ofNullable(new Manifest(in).getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
