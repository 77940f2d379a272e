package soko.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven by its chromedriver; nothing is downloaded. */
final class Chromium {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

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
        "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return driver;
  }

  /** Saves the whole page as {@code target/screenshots/<name>.png} and returns the file. */
  static Path screenshot(ChromeDriver driver, String name) throws Exception {
    Dimension before = driver.manage().window().getSize();
    long height = (Long) ((JavascriptExecutor) driver).executeScript(
        "return Math.ceil(document.documentElement.scrollHeight)");
    driver.manage().window().setSize(new Dimension(1280, (int) Math.min(6000, height + 120)));
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } finally {
      driver.manage().window().setSize(before);
    }
  }
}
