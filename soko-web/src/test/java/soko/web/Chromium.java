package soko.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its chromedriver; nothing is downloaded. The viewport width
 * and the colour scheme are emulated through the DevTools protocol ({@code
 * Emulation.setDeviceMetricsOverride}, {@code Emulation.setEmulatedMedia}), which applies at once to
 * the open page, unlike a window size (headless windows have a minimum width) or a command-line
 * flag (fixed for the browser's life).
 */
final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** The widths the page is photographed at: a phone, a tablet, a desktop. */
  static final List<Integer> WIDTHS = List.of(390, 768, 1280);

  enum Scheme {
    LIGHT, DARK;

    String css() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private Chromium() {}

  /** Why the browser tests cannot run here; print it when skipping. */
  static Optional<String> unavailableReason() {
    if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
      return Optional.of(BINARY + " or " + DRIVER + " is missing; install the Debian packages chromium and"
          + " chromium-driver (apt-get install chromium chromium-driver)");
    }
    return Optional.empty();
  }

  static ChromeDriver start(Path profile) {
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort()
        .withEnvironment(Map.of("SE_OFFLINE", "true", "SE_AVOID_STATS", "true"))
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=en-US",
        "--hide-scrollbars", "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  /** Lays the page out {@code width} CSS pixels wide and {@code height} high, at one device pixel per CSS pixel. */
  static void viewport(ChromeDriver driver, int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
        "deviceScaleFactor", 1, "mobile", false));
  }

  /** Back to the window's own size. */
  static void resetViewport(ChromeDriver driver) {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** What {@code prefers-color-scheme} answers from now on. */
  static void scheme(ChromeDriver driver, Scheme scheme) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", scheme.css()))));
  }

  /**
   * Saves {@code target/screenshots/<name>.png}: the whole page when {@code fullPage}, else the
   * viewport (for a modal dialog, which sits in the viewport).
   */
  static Path screenshot(ChromeDriver driver, String name, boolean fullPage) throws Exception {
    Map<String, Object> args;
    if (fullPage) {
      @SuppressWarnings("unchecked")
      List<Number> size = (List<Number>) driver.executeScript("const d = document.documentElement;"
          + " return [d.clientWidth, Math.ceil(d.scrollHeight)]");
      args = Map.of("format", "png", "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0,
          "width", size.get(0).intValue(), "height", Math.min(12_000, size.get(1).intValue()), "scale", 1));
    } else {
      args = Map.of("format", "png");
    }
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", args);
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    return file;
  }
}
