package soko.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import soko.app.Bytes;
import soko.app.Soko;
import soko.manifest.SourceUri;
import soko.store.FileCheck;
import soko.testkit.nginx.Nginx;

/** The real page in headless Chromium: what a person sees and does. */
class DiagnosticsPageTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir
  static Path browserDir;
  static ChromeDriver driver;

  @TempDir
  Path dir;
  Soko soko;
  WebServer web;
  WebDriverWait wait;

  @BeforeAll
  static void startBrowser() {
    Assumptions.assumeTrue(Chromium.unavailableReason().isEmpty(), () -> {
      String why = "skipped: " + Chromium.unavailableReason().orElse("");
      System.out.println(why);
      return why;
    });
    driver = Chromium.start(browserDir.resolve("profile"));
  }

  @AfterAll
  static void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  @BeforeEach
  void openSoko() throws Exception {
    soko = Fixtures.soko(dir.resolve("home"));
    wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
  }

  @AfterEach
  void stopServer() {
    if (web != null) {
      web.close();
    }
  }

  private void openPage() throws Exception {
    web = WebServer.start(soko, WebServer.LOOPBACK, 0);
    driver.get(web.uri().toString());
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-live"))
        && d.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null);
  }

  private List<String> rowNames() {
    return driver.findElements(By.cssSelector("#models tbody tr")).stream().map(r -> r.getDomAttribute("data-model")).toList();
  }

  private WebElement badge(String model) {
    return driver.findElement(By.cssSelector("#models tr[data-model='" + model + "'] .badge"));
  }

  private long chartBytes(String kind) {
    // Read in one script: the chart is redrawn (new elements) whenever the page refreshes.
    return Long.parseLong((String) driver.executeScript(
        "return document.querySelector(\"#storage-chart .bytes[data-kind='\" + arguments[0] + \"']\").dataset.bytes", kind));
  }

  /** Whether each text draws differently from a code point no font has, i.e. a font has its glyphs. */
  @SuppressWarnings("unchecked")
  private List<Boolean> glyphsRender(String... texts) {
    return (List<Boolean>) driver.executeScript("""
        const font = '28px ' + getComputedStyle(document.body).fontFamily;
        const draw = (t) => { const c = document.createElement('canvas'); c.width = 96; c.height = 40;
          const x = c.getContext('2d'); x.font = font; x.fillText(t, 2, 30); return c.toDataURL(); };
        const missing = draw('\\u0378\\u0378\\u0378');
        return arguments[0].map((t) => draw(t) !== missing);
        """, List.of(texts));
  }

  @Test
  void showsTheBundledModelsAsVerifiedWithTheStorageChartHardwareAndEngines() throws Exception {
    soko.install("silero-vad");
    soko.install("demo-phrasebook");

    openPage();

    assertThat(rowNames()).containsExactly("demo-phrasebook", "silero-vad");
    assertThat(badge("silero-vad").getText()).isEqualTo("Verified");
    assertThat(badge("silero-vad").getDomAttribute("data-state")).isEqualTo("verified");
    assertThat(badge("demo-phrasebook").getText()).isEqualTo("Verified");
    assertThat(chartBytes("models")).isEqualTo(soko.diagnostics().storage().models());
    assertThat(driver.findElement(By.id("machine")).getText()).contains(soko.machine().cores() + " cores");
    assertThat(driver.findElements(By.cssSelector("#engines li[data-engine='soko-phrasebook']"))).hasSize(1);
    assertThat(driver.findElement(By.id("roots")).getText()).contains(soko.settings().roots().library().toString());
    assertThat(driver.findElement(By.tagName("h1")).getText()).contains("倉庫");
    assertThat(glyphsRender("倉庫", "モデル", "창고")).containsExactly(true, true, true);
    Path shot = Chromium.screenshot(driver, "bundled-models");
    assertThat(Files.size(shot)).isPositive();
  }

  @Test
  void installsFromTheCatalogOnlyAfterConsentWithLiveProgressTo100ThenShowsItVerified() throws Exception {
    Assumptions.assumeTrue(Nginx.available(), () -> {
      String why = "skipped: " + Nginx.unavailableReason().orElse("");
      System.out.println(why);
      return why;
    });
    soko.install("demo-phrasebook");
    byte[] weights = Fixtures.bytes(1024 * 1024, 11);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("web-tiny.bin"), weights);
      // /slow/ sends the first 256 KiB at once, then 1 MiB/s: the page shows the bar moving.
      Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.model("web-tiny", "A tiny test model: " + Fixtures.CJK, weights,
          SourceUri.parse(nginx.uri("/slow/web-tiny.bin").toString()))));
      openPage();

      driver.findElement(By.cssSelector("button[data-install='web-tiny']")).click();
      WebElement consent = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent")));
      assertThat(driver.findElement(By.id("consent-size")).getText()).isEqualTo("1.0 MiB");
      assertThat(driver.findElement(By.id("consent-hosts")).getText()).isEqualTo("127.0.0.1:" + nginx.port());
      assertThat(driver.findElement(By.id("consent-license")).getText()).startsWith("CC0-1.0");
      assertThat(driver.findElement(By.id("consent-free")).getText()).isNotBlank();
      assertThat(driver.findElement(By.id("consent-intro")).getText()).contains(Fixtures.CJK);
      consent.sendKeys(Keys.ESCAPE);
      wait.until(ExpectedConditions.textToBe(By.id("status"), "Cancelled: nothing was downloaded or installed."));
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).doesNotContain("/slow/web-tiny.bin");
      assertThat(soko.list()).extracting(c -> c.model().manifest().name().value()).containsExactly("demo-phrasebook");

      driver.findElement(By.cssSelector("button[data-install='web-tiny']")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent-accept"))).click();
      wait.until(ExpectedConditions.textToBe(By.id("progress-text"), "100%"));
      wait.until(d -> !d.findElements(By.cssSelector("#models tr[data-model='web-tiny'] .badge[data-state='verified']")).isEmpty());

      assertThat(badge("web-tiny").getText()).isEqualTo("Verified");
      assertThat(driver.findElement(By.id("install-progress")).getDomProperty("value")).isEqualTo("100");
      assertThat(driver.findElement(By.id("progress-label")).getText()).isEqualTo("Installed web-tiny@1.0.0");
      assertThat(soko.isVerified("web-tiny")).isTrue();
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).contains("/slow/web-tiny.bin");
      wait.until(d -> !d.findElements(By.cssSelector("#catalog tr[data-catalog-model='web-tiny'] .badge")).isEmpty());
      Chromium.screenshot(driver, "installed-from-catalog");
    }
  }

  @Test
  void clearingTheCacheShowsWhatItFreesAndThatTheLibraryIsUntouchedThenUsageDrops() throws Exception {
    soko.install("demo-phrasebook");
    var roots = soko.settings().roots();
    Path partial = Files.createDirectories(roots.cache().resolve("downloads")).resolve("ab".repeat(32) + ".partial");
    Files.write(partial, Fixtures.bytes(300 * 1024, 3));
    Path recording = Files.createDirectories(roots.library()).resolve("会議.wav");
    Files.writeString(recording, "the user's own recording");
    openPage();
    assertThat(chartBytes("partial")).isEqualTo(300 * 1024);
    long cacheBefore = chartBytes("cache") + chartBytes("partial");

    driver.findElement(By.id("clear-cache")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
    assertThat(driver.findElement(By.id("clear-bytes")).getText()).isEqualTo(Bytes.human(soko.clearCache(true).bytesFreed()));
    assertThat(driver.findElement(By.id("clear-library")).getText()).isEqualTo(roots.library().toString());
    assertThat(driver.findElement(By.id("confirm-body")).getText()).contains("is not touched");
    Chromium.screenshot(driver, "clear-cache-dialog");
    driver.findElement(By.id("confirm-ok")).click();
    wait.until(d -> chartBytes("partial") == 0);

    assertThat(chartBytes("cache") + chartBytes("partial")).isEqualTo(cacheBefore - 300 * 1024);
    assertThat(partial).doesNotExist();
    assertThat(recording).hasContent("the user's own recording");
    assertThat(badge("demo-phrasebook").getText()).isEqualTo("Verified");
  }

  @Test
  void worksWithNoModelsThenWithAHundredModelsInJapaneseAndKorean() throws Exception {
    openPage();
    assertThat(driver.findElement(By.id("models-empty")).isDisplayed()).isTrue();
    assertThat(rowNames()).isEmpty();
    web.close();

    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String name = "tiny-%03d".formatted(i);
      names.add(name);
      Fixtures.installLocal(soko, dir.resolve("sources"), name, "小さなテストモデル " + i + " · 작은 테스트 모델 " + i, i);
    }
    openPage();

    assertThat(rowNames()).isEqualTo(names);
    assertThat(driver.findElement(By.id("models-count")).getText()).isEqualTo("(100)");
    assertThat(driver.findElements(By.cssSelector("#models .badge[data-state='verified']"))).hasSize(100);
    assertThat(driver.findElement(By.cssSelector("#models tr[data-model='tiny-042'] .desc")).getText())
        .isEqualTo("小さなテストモデル 42 · 작은 테스트 모델 42");
    assertThat(glyphsRender("小さな", "작은")).containsExactly(true, true);
    Chromium.screenshot(driver, "hundred-models");
  }

  @Test
  void verifyingShowsACorruptFileInWordsAndColour() throws Exception {
    soko.install("demo-phrasebook");
    FileCheck tsv = soko.list().getFirst().files().getFirst();
    tsv.blob().toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(tsv.blob());
    bytes[0] ^= 1;
    Files.write(tsv.blob(), bytes);
    openPage();

    driver.findElement(By.id("verify-all")).click();
    wait.until(d -> "corrupt".equals(d.findElement(By.cssSelector("#models tr[data-model='demo-phrasebook']"))
        .getDomAttribute("data-state")));

    assertThat(badge("demo-phrasebook").getText()).isEqualTo("Corrupt");
    assertThat(badge("demo-phrasebook").getCssValue("color")).isNotEqualTo(
        driver.findElement(By.tagName("body")).getCssValue("color"));
    assertThat(driver.findElement(By.id("status")).getText())
        .isEqualTo("demo-phrasebook is corrupt. Install it again to repair it.");
  }
}
