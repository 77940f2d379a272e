package soko.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import soko.app.Bytes;
import soko.app.ConfigFile;
import soko.app.Consent;
import soko.app.Soko;
import soko.events.ProgressListener;
import soko.manifest.Manifest;
import soko.manifest.SourceUri;
import soko.manifest.Version;
import soko.store.FileCheck;
import soko.testkit.nginx.Nginx;
import soko.verification.Hashing;
import soko.testkit.RequiredTool;

/**
 * The real page in headless Chromium: what a person sees and does, with the keyboard alone where
 * it matters, photographed at 390, 768 and 1280 px in the light and the dark scheme (under {@code
 * target/screenshots/}).
 */
class DiagnosticsPageTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
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
    RequiredTool.require(Chromium.unavailableReason());
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
    Chromium.resetViewport(driver);
    Chromium.scheme(driver, Chromium.Scheme.LIGHT);
  }

  @AfterEach
  void stopServer() {
    if (web != null) {
      web.close();
    }
  }

  private void openPage() throws Exception {
    web = WebServer.start(soko, WebServer.LOOPBACK, 0);
    load(web.uri().toString());
  }

  private void load(String uri) {
    driver.get(uri);
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-live"))
        && d.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null);
  }

  private void assumeNginx() {
    RequiredTool.require(Nginx.unavailableReason());
  }

  private List<String> rowNames() {
    return driver.findElements(By.cssSelector("#models tbody tr")).stream().map(r -> r.getDomAttribute("data-model")).toList();
  }

  private WebElement badge(String model) {
    return driver.findElement(By.cssSelector("#models tr[data-model='" + model + "'] .badge"));
  }

  private String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
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

  // ---------------------------------------------------------------- keyboard

  private void press(CharSequence key) {
    new Actions(driver).sendKeys(key).perform();
  }

  /** Presses Tab until the focused element matches {@code css}: the way a keyboard user gets there. */
  private WebElement tabTo(String css) {
    for (int i = 0; i < 400; i++) {
      press(Keys.TAB);
      if (Boolean.TRUE.equals(driver.executeScript("return document.activeElement.matches(arguments[0])", css))) {
        return driver.switchTo().activeElement();
      }
    }
    return fail("Tab never reached " + css);
  }

  // ---------------------------------------------------------------- photographs and layout

  private static int height(int width) {
    return width <= 390 ? 844 : width <= 768 ? 1024 : 900;
  }

  /**
   * At 320 and 900 px and at every photographed width, in both schemes: no sideways scroll (of the
   * page, or of a table inside its card), every text
   * meets its contrast; then a picture {@code <state>-<width>-<scheme>.png}. Ends at 1280 px, light.
   */
  private void photograph(String state, boolean fullPage) throws Exception {
    for (Chromium.Scheme scheme : Chromium.Scheme.values()) {
      Chromium.scheme(driver, scheme);
      for (int width : Stream.concat(Stream.of(320, 900), Chromium.WIDTHS.stream()).sorted().toList()) {
        Chromium.viewport(driver, width, height(width));
        assertThat(PageChecks.widths(driver)).as("[scrollWidth, clientWidth] of %s at %d px, %s", state, width, scheme)
            .satisfies(w -> assertThat(w.get(0)).isLessThanOrEqualTo(w.get(1)));
        assertThat(PageChecks.sidewaysScrollers(driver)).as("boxes scrolling sideways in %s at %d px", state, width)
            .isEmpty();
        assertThat(PageChecks.textContrasts(driver)).as("texts below their contrast in %s at %d px, %s", state, width, scheme)
            .filteredOn(t -> t.ratio() < t.needed()).isEmpty();
        if (driver.findElements(By.cssSelector("dialog[open]")).size() == 1) {
          assertDialogFits(state, width);
        }
        if (Chromium.WIDTHS.contains(width)) {
          Path shot = Chromium.screenshot(driver, state + "-" + width + "-" + scheme.css(), fullPage);
          assertThat(Files.size(shot)).isPositive();
        }
      }
    }
    Chromium.viewport(driver, 1280, height(1280));
    Chromium.scheme(driver, Chromium.Scheme.LIGHT);
  }

  /** Pictures {@code <name>-390-dark.png} and {@code <name>-1280-light.png} with {@code id} in the middle of the view. */
  private void photographAround(String id, String name) throws Exception {
    for (var shot : List.of(Map.entry(390, Chromium.Scheme.DARK), Map.entry(1280, Chromium.Scheme.LIGHT))) {
      Chromium.scheme(driver, shot.getValue());
      Chromium.viewport(driver, shot.getKey(), height(shot.getKey()));
      driver.executeScript("document.getElementById(arguments[0]).scrollIntoView({block: 'center'})", id);
      Chromium.screenshot(driver, name + "-" + shot.getKey() + "-" + shot.getValue().css(), false);
    }
    Chromium.scheme(driver, Chromium.Scheme.LIGHT);
  }

  /** The open dialog lies inside the viewport, and so do its buttons, also when the viewport is short. */
  private void assertDialogFits(String state, int width) {
    for (int h : List.of(height(width), 480)) {
      Chromium.viewport(driver, width, h);
      Map<String, List<Number>> boxes = PageChecks.dialogBoxes(driver);
      double vw = boxes.get("viewport").get(2).doubleValue();
      double vh = boxes.get("viewport").get(3).doubleValue();
      for (String part : List.of("dialog", "first", "last")) {
        List<Number> b = boxes.get(part);
        assertThat(b.get(0).doubleValue()).as("%s left in %s at %dx%d", part, state, width, h).isGreaterThanOrEqualTo(0);
        assertThat(b.get(1).doubleValue()).as("%s top in %s at %dx%d", part, state, width, h).isGreaterThanOrEqualTo(0);
        assertThat(b.get(2).doubleValue()).as("%s right in %s at %dx%d", part, state, width, h).isLessThanOrEqualTo(vw);
        assertThat(b.get(3).doubleValue()).as("%s bottom in %s at %dx%d", part, state, width, h).isLessThanOrEqualTo(vh);
      }
    }
    Chromium.viewport(driver, width, height(width));
  }

  // ---------------------------------------------------------------- states

  @Test
  void anEmptyStoreSaysHowToStartAtEveryWidthInBothSchemes() throws Exception {
    openPage();

    assertThat(driver.findElement(By.id("models-empty")).isDisplayed()).isTrue();
    assertThat(rowNames()).isEmpty();
    assertThat(driver.findElements(By.cssSelector("#catalog button[data-install='silero-vad']"))).hasSize(1);
    photograph("empty", true);
  }

  @Test
  void showsTheBundledModelsAsVerifiedWithTheStorageChartOnOneScaleHardwareAndEngines() throws Exception {
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    var roots = soko.settings().roots();
    Files.write(Files.createDirectories(roots.cache().resolve("tmp")).resolve("scratch.bin"), Fixtures.bytes(166, 1));

    openPage();

    assertThat(rowNames()).containsExactly("demo-phrasebook", "silero-vad");
    assertThat(badge("silero-vad").getText()).isEqualTo("Verified");
    assertThat(badge("silero-vad").getDomAttribute("data-state")).isEqualTo("verified");
    assertThat(badge("demo-phrasebook").getText()).isEqualTo("Verified");
    // The figures come from the files, not from Soko: every blob belongs to an installed model here.
    assertThat(chartBytes("models")).isEqualTo(Fixtures.sizeOfFiles(roots.data().resolve("blobs")));
    assertThat(chartBytes("cache") + chartBytes("partial")).isEqualTo(Fixtures.sizeOfFiles(roots.cache()));
    assertThat(chartBytes("partial")).isZero();
    assertThat(chartBytes("orphans")).isZero();
    assertBarsShareOneScale();
    assertThat(text("#catalog tr[data-catalog-model='silero-vad'] .badge")).isEqualTo("Installed");
    assertThat(driver.findElement(By.id("machine")).getText()).contains(soko.machine().cores() + " cores");
    assertThat(driver.findElements(By.cssSelector("#engines li[data-engine='soko-phrasebook']"))).hasSize(1);
    assertThat(driver.findElement(By.id("roots")).getText()).contains(roots.library().toString());
    assertThat(driver.findElement(By.tagName("h1")).getText()).contains("倉庫");
    assertThat(glyphsRender("倉庫", "モデル", "창고")).containsExactly(true, true, true);
    photograph("bundled-models", true);
  }

  /**
   * Every bar's share of its track is its bytes' share of one total (what Soko uses plus the free
   * space), within a pixel, except that a non-empty bar is at least 3 px so it can be seen.
   */
  @SuppressWarnings("unchecked")
  private void assertBarsShareOneScale() {
    List<Map<String, Object>> bars = (List<Map<String, Object>>) driver.executeScript("""
        return [...document.querySelectorAll('#storage-chart .bar')].map((b) => ({ kind: b.dataset.kind,
          bytes: Number(b.dataset.bytes), width: b.getBoundingClientRect().width,
          track: b.parentElement.getBoundingClientRect().width }));
        """);
    double total = bars.stream().mapToDouble(b -> ((Number) b.get("bytes")).doubleValue()).sum();
    for (Map<String, Object> b : bars) {
      double bytes = ((Number) b.get("bytes")).doubleValue();
      double track = ((Number) b.get("track")).doubleValue();
      double expected = bytes == 0 ? 0 : Math.max(3, bytes / total * track);
      assertThat(((Number) b.get("width")).doubleValue()).as("width of the %s bar", b.get("kind"))
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
    }
    // Here the cache holds 166 B: a sliver, not a full bar.
    assertThat(bars.stream().filter(b -> b.get("kind").equals("cache")).findFirst().orElseThrow().get("width"))
        .satisfies(w -> assertThat(((Number) w).doubleValue()).isLessThanOrEqualTo(3.0));
  }

  @Test
  void aCorruptModelNamesItsFileOnceWithShortDigestsAndRepairFixesOnlyThatFileByKeyboard() throws Exception {
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    FileCheck bad = soko.list().stream().filter(c -> c.model().manifest().name().value().equals("demo-phrasebook"))
        .findFirst().orElseThrow().files().getFirst();
    FileCheck good = soko.list().stream().filter(c -> c.model().manifest().name().value().equals("demo-phrasebook"))
        .findFirst().orElseThrow().files().get(1);
    long goodModified = Files.getLastModifiedTime(good.blob()).toMillis();
    Object goodKey = Files.readAttributes(good.blob(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    bad.blob().toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(bad.blob());
    bytes[0] ^= 1;
    Files.write(bad.blob(), bytes);
    String actual = Hashing.sha256(bytes).hex();
    String expected = bad.file().sha256().hex();
    String path = bad.file().path().value();
    openPage();
    // Changed since it was verified: the stat says so, and Verify is the action.
    assertThat(badge("demo-phrasebook").getText()).isEqualTo("Unverified");
    assertThat(driver.findElement(By.cssSelector("button[data-key='verify:demo-phrasebook']")).getDomAttribute("class"))
        .isEqualTo("primary");

    tabTo("button[data-key='verify:demo-phrasebook']");
    press(Keys.ENTER);
    wait.until(d -> "corrupt".equals(d.findElement(By.cssSelector("#models tr[data-model='demo-phrasebook']"))
        .getDomAttribute("data-state")));

    assertThat(badge("demo-phrasebook").getText()).isEqualTo("Corrupt");
    assertThat(badge("demo-phrasebook").getCssValue("color")).isNotEqualTo(
        driver.findElement(By.tagName("body")).getCssValue("color"));
    assertThat(text("#status")).isEqualTo("demo-phrasebook is corrupt. Repair fetches its bad files again.");
    WebElement problem = driver.findElement(By.cssSelector("#models tr[data-model='demo-phrasebook'] .problems li"));
    String said = problem.getDomProperty("textContent");
    assertThat(said.split(java.util.regex.Pattern.quote(path), -1)).as("the file is named once").hasSize(2);
    assertThat(said).isEqualTo(path + ": sha256 " + actual.substring(0, 12) + "…Copy, expected " + expected.substring(0, 12)
        + "…Copy");
    assertThat(problem.findElements(By.cssSelector(".digest code"))).extracting(e -> e.getDomAttribute("title"))
        .containsExactly("sha256:" + actual, "sha256:" + expected);
    // The catalog agrees: not a green "Installed", and Repair is there too.
    assertThat(driver.findElement(By.cssSelector("#catalog tr[data-catalog-model='demo-phrasebook'] .badge"))
        .getDomAttribute("data-state")).isEqualTo("corrupt");
    assertThat(driver.findElements(By.cssSelector("#catalog button[data-key='catalog-repair:demo-phrasebook']"))).hasSize(1);
    assertThat(driver.findElements(By.cssSelector("#models button[data-key='repair:demo-phrasebook']"))).hasSize(1);
    photograph("corrupt", true);

    // The copy button hands over the whole digest.
    driver.executeCdpCommand("Browser.grantPermissions", Map.of("permissions",
        List.of("clipboardReadWrite", "clipboardSanitizedWrite"), "origin", "http://127.0.0.1:" + web.port()));
    problem.findElements(By.cssSelector("button.copy")).getFirst().click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Copied the sha256 of " + path + " to the clipboard: sha256:" + actual));
    assertThat(driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0], (e) => arguments[0]('' + e))"))
        .isEqualTo("sha256:" + actual);

    tabTo("#models button[data-key='repair:demo-phrasebook']");
    press(Keys.ENTER); // bundled files: nothing to download, so no consent to ask
    wait.until(d -> !d.findElements(By.cssSelector("#models tr[data-model='demo-phrasebook'] .badge[data-state='verified']"))
        .isEmpty());

    assertThat(text(".progress-box[data-model='demo-phrasebook'] .progress-label")).isEqualTo("Repaired demo-phrasebook");
    // The Repair button went quiet while it ran; the keyboard focus went to the progress box, whose button now dismisses it.
    wait.until(d -> "Dismiss".equals(d.switchTo().activeElement().getText()));
    press(Keys.ENTER);
    wait.until(d -> d.findElements(By.cssSelector(".progress-box[data-model='demo-phrasebook']")).isEmpty());
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("install-name");
    assertThat(text("#status")).isEqualTo("Repaired demo-phrasebook 1.0.0.");
    assertThat(soko.verify(java.util.Optional.of("demo-phrasebook"), true).getFirst().state().id()).isEqualTo("verified");
    assertThat(Hashing.sha256(bad.blob()).digest().hex()).isEqualTo(expected);
    // Only the bad file was written again: the good one is the same file, untouched.
    assertThat(Files.readAttributes(good.blob(), java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .isEqualTo(goodKey);
    assertThat(Files.getLastModifiedTime(good.blob()).toMillis()).isEqualTo(goodModified);
    assertThat(text("#catalog tr[data-catalog-model='demo-phrasebook'] .badge")).isEqualTo("Installed");
  }

  @Test
  void aModelWithAMissingFileOffersRepairWhichPutsTheFileBack() throws Exception {
    soko.install("silero-vad");
    FileCheck license = soko.list().getFirst().files().get(1);
    Files.delete(license.blob());
    openPage();

    assertThat(badge("silero-vad").getText()).isEqualTo("Missing");
    assertThat(text("#models tr[data-model='silero-vad'] .problems li")).startsWith("LICENSE is missing from the store (");
    assertThat(text("#catalog tr[data-catalog-model='silero-vad'] .badge")).isEqualTo("Installed, files missing");
    driver.findElement(By.cssSelector("#catalog button[data-key='catalog-repair:silero-vad']")).click();
    wait.until(d -> !d.findElements(By.cssSelector("#models tr[data-model='silero-vad'] .badge[data-state='verified']")).isEmpty());

    assertThat(license.blob()).exists();
    assertThat(soko.verify(java.util.Optional.of("silero-vad"), true).getFirst().state().id()).isEqualTo("verified");
  }

  @Test
  void repairingADownloadedModelAsksConsentForItsBadFileOnlyAndFetchesOnlyThat() throws Exception {
    assumeNginx();
    byte[] a = Fixtures.bytes(300 * 1024, 21);
    byte[] b = Fixtures.bytes(200 * 1024, 22);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("a.bin"), a);
      Files.write(nginx.root().resolve("b.bin"), b);
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("a.bin", a);
      files.put("b.bin", b);
      Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.model("web-pair", "two files", files,
          p -> SourceUri.parse(nginx.uri("/" + p).toString()))));
      soko.pull("web-pair", Consent.APPROVE, ProgressListener.NONE);
      FileCheck second = soko.list().getFirst().files().get(1);
      second.blob().toFile().setWritable(true);
      Files.write(second.blob(), Fixtures.bytes(200 * 1024, 99));
      soko.verify(java.util.Optional.of("web-pair"), false);
      int requestsBefore = nginx.accessLog().size();
      openPage();
      assertThat(badge("web-pair").getText()).isEqualTo("Corrupt");

      tabTo("#models button[data-key='repair:web-pair']");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent")));
      assertThat(text("#consent-h")).isEqualTo("Repair web-pair 1.0.0?");
      assertThat(text("#consent-size")).isEqualTo(Bytes.human(b.length));
      assertThat(text("#consent-intro")).isEqualTo("Only the missing or corrupt files are fetched again: b.bin.");
      tabTo("#consent-accept");
      press(Keys.ENTER);
      wait.until(d -> !d.findElements(By.cssSelector("#models tr[data-model='web-pair'] .badge[data-state='verified']")).isEmpty());

      assertThat(soko.verify(java.util.Optional.of("web-pair"), true).getFirst().state().id()).isEqualTo("verified");
      assertThat(nginx.accessLog().subList(requestsBefore, nginx.accessLog().size())).extracting(Nginx.Entry::path)
          .containsExactly("/b.bin");
    }
  }

  @Test
  void anUpdateAvailableIsInstalledThroughConsentThenRolledBackWithTheBudgetShown() throws Exception {
    assumeNginx();
    soko.config().set(ConfigFile.Key.BUDGET, "20GiB");
    byte[] w1 = Fixtures.bytes(64 * 1024, 31);
    byte[] w2 = Fixtures.bytes(128 * 1024, 32);
    Path f1 = Files.createDirectories(dir.resolve("v1")).resolve("data.bin");
    Files.write(f1, w1);
    soko.install(Fixtures.model("web-upd", "an updatable model", w1, SourceUri.parse(f1.toUri().toString())),
        "file:" + f1);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("web-upd-2.bin"), w2);
      var m2 = Fixtures.model("web-upd", "an updatable model, second version", w2,
          SourceUri.parse(nginx.uri("/web-upd-2.bin").toString()));
      Fixtures.publishCatalog(soko, nginx, List.of(new Manifest(m2.name(),
          Version.parse("2.0.0"), m2.description(), m2.tasks(), m2.engine(), m2.license(), m2.files(),
          false, Map.of())));
      openPage();
      assertThat(text("#budget")).startsWith("Budget 20GiB (from settings): " + Bytes.human(w1.length) + " of 20.0 GiB used.");
      assertThat(text("#models tr[data-model='web-upd'] .buttons")).contains("update available: 2.0.0");

      tabTo("#models button[data-key='update:web-upd']");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent")));
      assertThat(text("#consent-h")).isEqualTo("Update web-upd 2.0.0?");
      assertThat(text("#consent-size")).isEqualTo(Bytes.human(w2.length));
      assertThat(text("#consent-intro")).startsWith("The installed version stays, for Roll back,");
      tabTo("#consent-accept");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.textToBe(By.cssSelector("#models tr[data-model='web-upd'] .ver"), "2.0.0"));
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).contains("/web-upd-2.bin");

      wait.until(d -> !d.findElements(By.cssSelector("#models button[data-key='rollback:web-upd']")).isEmpty());
      tabTo("#models button[data-key='rollback:web-upd']");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-ok")));
      tabTo("#confirm-ok");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.textToBe(By.cssSelector("#models tr[data-model='web-upd'] .ver"), "1.0.0"));
      var check = soko.verify(java.util.Optional.of("web-upd"), true).getFirst();
      assertThat(check.model().manifest().version().text()).isEqualTo("1.0.0");
      assertThat(check.state().id()).isEqualTo("verified");
    }
  }

  @Test
  void theBudgetIsSetOnItsLineByKeyboardABadSizeIsSaidAtTheFieldAndRemoveUnsetsIt() throws Exception {
    soko.install("demo-phrasebook");
    openPage();
    assertThat(text("#budget")).startsWith("No storage budget: models take what they need");
    assertThat(driver.findElement(By.id("budget-unset")).isDisplayed()).isFalse();

    tabTo("#budget-value").sendKeys("lots");
    press(Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("budget-error")));
    assertThat(text("#budget-error")).isEqualTo("the budget \"lots\" is not a size: give a number and a unit, such as 20GiB,"
        + " 500MiB or 1.5TB");
    assertThat(driver.findElement(By.id("budget-value")).getDomAttribute("aria-invalid")).isEqualTo("true");
    assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("budget-value");
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).isEmpty();
    photograph("budget-refused", false);
    photographAround("budget-form", "budget-line-refused");

    WebElement field = driver.switchTo().activeElement();
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "20GiB");
    press(Keys.ENTER);
    wait.until(d -> d.findElement(By.id("budget")).getText().startsWith("Budget 20GiB (from settings): "));
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).contains("20GiB");
    assertThat(text("#budget")).isEqualTo("Budget 20GiB (from settings): " + Bytes.human(soko.budgetUse())
        + " of 20.0 GiB used. Installs beyond it evict the least recently used models, never one in use, bundled or kept.");
    assertThat(driver.findElement(By.id("budget-error")).isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("budget-value")).getDomAttribute("aria-invalid")).isNull();
    assertThat(text("#status")).isEqualTo("Storage budget set to 20GiB");
    photograph("budget-set", false);
    photographAround("budget-form", "budget-line-set");

    tabTo("#budget-unset");
    press(Keys.ENTER);
    wait.until(d -> d.findElement(By.id("budget")).getText().startsWith("No storage budget"));
    assertThat(soko.config().get(ConfigFile.Key.BUDGET)).isEmpty();
    assertThat(driver.findElement(By.id("budget-unset")).isDisplayed()).isFalse();
  }

  @Test
  void aBundleChosenOnThePageInstallsItsModelAndAHostileOneIsRefusedBesideTheFieldWithTheClisMessage() throws Exception {
    Soko other = Fixtures.soko(dir.resolve("other"));
    other.install("demo-phrasebook");
    Path good = Files.createDirectories(dir.resolve("chosen")).resolve("demo.tar");
    new soko.app.Bundles(other).export(List.of("demo-phrasebook"), good, false);
    Path bad = dir.resolve("chosen/not-a-bundle.tar");
    Files.write(bad, "PK\u0003\u0004 a zip file, not a tar".repeat(40).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    openPage();

    driver.findElement(By.id("bundle-file")).sendKeys(bad.toString());
    tabTo("#bundle-submit");
    press(Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("bundle-error")));
    assertThat(text("#bundle-error")).startsWith("bundle not-a-bundle.tar").contains("is not a tar archive")
        .doesNotContain(soko.settings().roots().cache().toString());
    assertThat(rowNames()).isEmpty();
    photograph("bundle-refused", false);
    photographAround("bundle-form", "bundle-line-refused");

    driver.findElement(By.id("bundle-file")).sendKeys(good.toString());
    tabTo("#bundle-submit");
    press(Keys.ENTER);
    wait.until(d -> rowNames().contains("demo-phrasebook"));
    assertThat(text("#status")).startsWith("Imported demo.tar: installed demo-phrasebook@1.0.0 (");
    assertThat(driver.findElement(By.id("bundle-error")).isDisplayed()).isFalse();
    assertThat(soko.isVerified("demo-phrasebook")).isTrue();
  }

  @Test
  void installsFromTheCatalogByKeyboardOnlyAfterConsentWithLiveProgressTo100ThenShowsItVerified() throws Exception {
    assumeNginx();
    soko.install("demo-phrasebook");
    byte[] weights = Fixtures.bytes(1024 * 1024, 11);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("web-tiny.bin"), weights);
      // /slow/ sends the first 256 KiB at once, then 1 MiB/s: the page shows the bar moving.
      Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.model("web-tiny", "A tiny test model: " + Fixtures.CJK, weights,
          SourceUri.parse(nginx.uri("/slow/web-tiny.bin").toString()))));
      openPage();

      tabTo("button[data-install='web-tiny']");
      press(Keys.ENTER);
      WebElement consent = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent")));
      assertThat(text("#consent-size")).isEqualTo("1.0 MiB");
      assertThat(text("#consent-hosts")).isEqualTo("127.0.0.1:" + nginx.port());
      assertThat(text("#consent-license")).startsWith("CC0-1.0");
      assertThat(text("#consent-free")).isNotBlank();
      assertThat(text("#consent-intro")).contains(Fixtures.CJK);
      photograph("consent-open", false);
      consent.sendKeys(Keys.ESCAPE);
      wait.until(ExpectedConditions.textToBe(By.id("status"), "Cancelled: nothing was downloaded or installed."));
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).doesNotContain("/slow/web-tiny.bin");
      assertThat(soko.list()).extracting(c -> c.model().manifest().name().value()).containsExactly("demo-phrasebook");

      tabTo("button[data-install='web-tiny']");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent-accept")));
      tabTo("#consent-accept");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.textToBe(By.cssSelector(".progress-box[data-model='web-tiny'] .pct"), "100%"));
      wait.until(d -> !d.findElements(By.cssSelector("#models tr[data-model='web-tiny'] .badge[data-state='verified']")).isEmpty());

      assertThat(badge("web-tiny").getText()).isEqualTo("Verified");
      assertThat(driver.findElement(By.cssSelector(".progress-box[data-model='web-tiny'] progress")).getDomProperty("value"))
          .isEqualTo("100");
      assertThat(text(".progress-box[data-model='web-tiny'] .progress-label")).isEqualTo("Installed web-tiny@1.0.0");
      assertThat(soko.isVerified("web-tiny")).isTrue();
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).contains("/slow/web-tiny.bin");
      wait.until(d -> !d.findElements(By.cssSelector("#catalog tr[data-catalog-model='web-tiny'] .badge")).isEmpty());
    }
  }

  @Test
  void catalogRowsSayWhatIsRecommendedForThisComputerAndANonCommercialModelNeedsItsBoxTicked() throws Exception {
    assumeNginx();
    // A described computer, so that the recommendations do not depend on the one running the test.
    soko = Fixtures.soko(dir.resolve("home"), new soko.inventory.Machine("Linux", "6.1", "amd64", "Test CPU", 2, 12L << 30,
        List.of("avx2", "fma"), List.of(), "Test 25"));
    byte[] weights = Fixtures.bytes(256 * 1024, 31);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("web-nc.bin"), weights);
      Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.nonCommercial(Fixtures.model("web-nc",
          "A tiny test model whose licence forbids commercial use", weights,
          SourceUri.parse(nginx.uri("/web-nc.bin").toString())))));
      openPage();

      String small = "#catalog tr[data-catalog-model='whisper-small-q5_1']";
      assertThat(text(small + " .tag.rec")).isEqualTo("recommended for this computer");
      assertThat(text(small + " .rec-why li[data-alias='ja-asr']"))
          .isEqualTo("ja-asr — best Japanese accuracy that fits 6 GiB and 2 cores; about 0.45× real time");
      assertThat(driver.findElement(By.cssSelector(small + " .tag.rec")).getDomAttribute("title"))
          .contains("ja-asr: best Japanese accuracy that fits 6 GiB and 2 cores");
      assertThat(driver.findElements(By.cssSelector("#catalog .tag.rec"))).extracting(e -> e.findElement(
          By.xpath("ancestor::tr")).getDomAttribute("data-catalog-model"))
          .containsExactlyInAnyOrder("m2m100-418m", "silero-vad", "whisper-small-q5_1");
      assertThat(text("#catalog tr[data-catalog-model='web-nc'] .tag.nc")).isEqualTo("non-commercial");
      assertThat(text("#catalog tr[data-catalog-model='nllb-200-distilled-600m'] .tag.nc")).isEqualTo("non-commercial");

      tabTo("button[data-install='web-nc']");
      press(Keys.ENTER);
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent-nc")));
      assertThat(text("#consent-nc")).isEqualTo("I accept the CC-BY-NC-4.0 licence: non-commercial use only.");
      assertThat(driver.findElement(By.id("consent-accept")).isEnabled()).as("Accept before the box is ticked").isFalse();
      photograph("consent-non-commercial", false);
      assertThat(PageChecks.graphics(driver)).filteredOn(g -> g.where().contains("consent-nc-accept"))
          .singleElement().satisfies(g -> assertThat(g.ratio()).as(g.toString()).isGreaterThanOrEqualTo(3));
      tabTo("#consent-nc-accept");
      press(Keys.SPACE);
      assertThat(driver.findElement(By.id("consent-accept")).isEnabled()).isTrue();
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).doesNotContain("/web-nc.bin");
      tabTo("#consent-accept");
      press(Keys.ENTER);
      wait.until(d -> !d.findElements(By.cssSelector("#models tr[data-model='web-nc'] .badge[data-state='verified']")).isEmpty());

      assertThat(soko.isVerified("web-nc")).isTrue();
      assertThat(nginx.accessLog()).extracting(Nginx.Entry::path).filteredOn("/web-nc.bin"::equals).hasSize(1);
    }
  }

  /**
   * The bytes a partial download holds: its length when received as one stream; for one received
   * as ranges (its record, README "On-disk layout", lists "spans"), the bytes each range holds,
   * since the file is as long as its furthest range from the first write.
   */
  static long keptBytes(Path partial) throws java.io.IOException {
    Path record = partial.resolveSibling(partial.getFileName().toString().replace(".partial", ".json"));
    String json = Files.exists(record) ? Files.readString(record).replaceAll("\\s", "") : "";
    if (!json.contains("\"spans\"")) {
      return Files.size(partial);
    }
    long sum = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\"done\":(\\d+)(?:,\"written\":(\\d+))?").matcher(json);
    while (m.find()) {
      sum += Long.parseLong(m.group(2) != null ? m.group(2) : m.group(1));
    }
    return sum;
  }

  @Test
  void anInstallShowsItsEtaRunsOncePerModelAndCancelsKeepingThePartialDownload() throws Exception {
    assumeNginx();
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    // Served at 1 MB/s (nginx /slow/): long enough that the screenshots and keyboard steps below
    // finish before the download does, even on a loaded 2-core machine.
    byte[] weights = Fixtures.bytes(160 * 1024 * 1024, 12);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("web-big.bin"), weights);
      Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.model("web-big", "A slow download", weights,
          SourceUri.parse(nginx.uri("/slow/web-big.bin").toString()))));
      openPage();
      assertThat(driver.executeScript("return [eta(3725), eta(190), eta(12), eta(0.2), eta(3600)]"))
          .isEqualTo(List.of("1h 02m", "3m 10s", "12s", "1s", "1h 00m"));

      driver.findElement(By.cssSelector("button[data-install='web-big']")).click();
      wait.until(ExpectedConditions.elementToBeClickable(By.id("consent-accept"))).click();
      wait.until(d -> {
        String eta = d.findElement(By.cssSelector(".progress-box[data-model='web-big'] .eta")).getText();
        return eta.matches("· (\\d+h \\d\\dm|\\d+m \\d\\ds|\\d+s) left");
      });

      // One install per model: the page's button is off, and the server refuses a second one.
      WebElement busy = driver.findElement(By.cssSelector("#catalog button[data-key='install:web-big']"));
      assertThat(busy.isEnabled()).isFalse();
      assertThat(busy.getText()).isEqualTo("Installing…");
      JsonNode plan = JSON.readTree(RawHttp.post(web.port(), "/api/plan", keyAndToken(), "{\"model\":\"web-big\"}").body());
      RawHttp.Response second = RawHttp.post(web.port(), "/api/install", keyAndToken(), "{\"model\":\"web-big\",\"accept\":"
          + "{\"version\":\"1.0.0\",\"bytesToDownload\":" + plan.get("bytesToDownload").asLong() + ",\"hosts\":[\"127.0.0.1:"
          + nginx.port() + "\"],\"license\":\"CC0-1.0\"}}");
      assertThat(second.status()).isEqualTo(409);
      assertThat(JSON.readTree(second.body()).get("error").get("message").asText())
          .isEqualTo("an install of web-big is already running; wait for it to finish or cancel it");
      photograph("installing", true);
      readmePictures();

      tabTo(".progress-box[data-model='web-big'] button.cancel");
      press(Keys.ENTER);
      wait.until(d -> "cancelled".equals(d.findElement(By.cssSelector(".progress-box[data-model='web-big']"))
          .getDomAttribute("data-state")));

      assertThat(text(".progress-box[data-model='web-big'] .progress-label")).isEqualTo("Install of web-big@1.0.0 cancelled");
      assertThat(soko.list()).extracting(c -> c.model().manifest().name().value()).doesNotContain("web-big");
      Path downloads = soko.settings().roots().cache().resolve("downloads");
      long kept = 0;
      try (Stream<Path> s = Files.list(downloads)) {
        for (Path p : s.filter(f -> f.toString().endsWith(".partial")).toList()) {
          kept += keptBytes(p);
        }
      }
      assertThat(kept).isPositive().isLessThan(weights.length);
      wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-install='web-big']"))).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("consent")));
      assertThat(text("#consent-size")).isEqualTo(Bytes.human(weights.length - kept) + " (" + Bytes.human(kept)
          + " already downloaded)");
      driver.findElement(By.id("consent-cancel")).click();
    }
  }

  /** The two pictures the README shows: a desktop in the light scheme, a phone in the dark one, as a person sees them. */
  private void readmePictures() throws Exception {
    Chromium.viewport(driver, 1280, 860);
    driver.executeScript("window.scrollTo(0, 0)");
    Chromium.screenshot(driver, "readme-desktop-light", false);
    Chromium.scheme(driver, Chromium.Scheme.DARK);
    Chromium.viewport(driver, 390, 844);
    driver.executeScript("document.getElementById('install-h').scrollIntoView(); window.scrollBy(0, -16)");
    Chromium.screenshot(driver, "readme-phone-dark", false);
    Chromium.scheme(driver, Chromium.Scheme.LIGHT);
    Chromium.viewport(driver, 1280, height(1280));
  }

  private Map<String, String> keyAndToken() {
    return Map.of(Guard.KEY_HEADER, web.token(), Guard.TOKEN_HEADER, web.token());
  }

  @Test
  void clearingTheCacheByKeyboardShowsWhatItFreesAndThatTheLibraryIsUntouchedThenUsageDrops() throws Exception {
    soko.install("demo-phrasebook");
    var roots = soko.settings().roots();
    Path partial = Files.createDirectories(roots.cache().resolve("downloads")).resolve("ab".repeat(32) + ".partial");
    Files.write(partial, Fixtures.bytes(300 * 1024, 3));
    Path recording = Files.createDirectories(roots.library()).resolve("会議.wav");
    Files.writeString(recording, "the user's own recording");
    openPage();
    assertThat(chartBytes("partial")).isEqualTo(Files.size(partial));
    long cacheBefore = Fixtures.sizeOfFiles(roots.cache());
    assertThat(chartBytes("cache") + chartBytes("partial")).isEqualTo(cacheBefore);

    tabTo("#clear-cache");
    press(Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
    assertThat(text("#clear-bytes")).isEqualTo(Bytes.human(cacheBefore - Fixtures.sizeOfFiles(roots.cache().resolve("CACHEDIR.TAG"))));
    assertThat(text("#clear-library")).isEqualTo(roots.library().toString());
    assertThat(text("#confirm-body")).contains("is not touched");
    photograph("clear-cache-dialog", false);
    tabTo("#confirm-ok");
    press(Keys.ENTER);
    wait.until(d -> chartBytes("partial") == 0);

    assertThat(chartBytes("cache") + chartBytes("partial")).isEqualTo(Fixtures.sizeOfFiles(roots.cache()));
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
    assertThat(text("#models-count")).isEqualTo("(100)");
    assertThat(driver.findElements(By.cssSelector("#models .badge[data-state='verified']"))).hasSize(100);
    assertThat(text("#models tr[data-model='tiny-042'] .desc")).isEqualTo("小さなテストモデル 42 · 작은 테스트 모델 42");
    assertThat(glyphsRender("小さな", "작은")).containsExactly(true, true);
    Chromium.screenshot(driver, "hundred-models", true);
  }

  // ---------------------------------------------------------------- a server that goes away

  @Test
  void aServerThatStopsSaysSoDisablesEveryActionAndItsOldAddressThenExplainsItself() throws Exception {
    assumeNginx();
    soko.install("demo-phrasebook");
    byte[] weights = Fixtures.bytes(16 * 1024 * 1024, 13);
    try (Nginx nginx = Nginx.start(Files.createDirectories(dir.resolve("nginx")))) {
      Files.write(nginx.root().resolve("web-big.bin"), weights);
      Fixtures.publishCatalog(soko, nginx, List.of(Fixtures.model("web-big", "A slow download", weights,
          SourceUri.parse(nginx.uri("/slow/web-big.bin").toString()))));
      openPage();
      driver.findElement(By.cssSelector("button[data-install='web-big']")).click();
      wait.until(ExpectedConditions.elementToBeClickable(By.id("consent-accept"))).click();
      wait.until(d -> !d.findElement(By.cssSelector(".progress-box[data-model='web-big'] .pct")).getText().equals("0%"));
      String oldAddress = web.uri().toString();
      int port = web.port();

      web.close();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stopped")));

      assertThat(text("#stopped strong")).isEqualTo("Soko stopped: run soko serve again");
      assertThat(text("#live-text")).isEqualTo("Stopped");
      assertThat(driver.findElements(By.cssSelector("main button:not(.copy), main input"))).isNotEmpty()
          .allSatisfy(b -> assertThat(b.isEnabled()).as(b.getText()).isFalse());
      assertThat(text(".progress-box[data-model='web-big'] .progress-label")).isEqualTo("Interrupted: Soko stopped");
      assertThat(driver.findElements(By.cssSelector(".progress-box button.cancel"))).isEmpty();
      photograph("server-stopped", true);

      // `soko serve` again, on the same port: the old address's key is not this run's.
      web = WebServer.start(soko, WebServer.LOOPBACK, port);
      driver.get(oldAddress);
      wait.until(d -> "key".equals(d.findElement(By.tagName("body")).getDomAttribute("data-refused")));
      assertThat(driver.executeScript("return document.contentType")).isEqualTo("text/html");
      assertThat(text("h2")).isEqualTo("This Soko page needs a fresh address");
      assertThat(text(".refused")).contains("Run soko serve again").contains("?key=");
      photograph("stale-key", true);
      // The API keeps answering JSON.
      RawHttp.Response api = RawHttp.send(port, "GET", "/api/diagnostics", Map.of(Guard.KEY_HEADER, "old"), new byte[0]);
      assertThat(api.status()).isEqualTo(403);
      assertThat(api.headers().get("content-type")).isEqualTo("application/json; charset=utf-8");
    }
  }

  @Test
  void aServerKilledWithoutAGoodbyeIsNoticedAndThePageSaysToRunItAgain() throws Exception {
    soko.install("demo-phrasebook");
    try (ServeInChild child = ServeInChild.start(dir.resolve("home"))) {
      load(child.uri());
      assertThat(badge("demo-phrasebook").getText()).isEqualTo("Verified");

      long killed = System.nanoTime();
      child.kill();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stopped")));
      // Reported, not asserted: the page probes 1.5 s after the stream breaks and gives the probe 2 s.
      System.out.printf("the page said Soko stopped %d ms after the server was killed%n",
          Duration.ofNanos(System.nanoTime() - killed).toMillis());

      assertThat(text("#stopped strong")).isEqualTo("Soko stopped: run soko serve again");
      assertThat(driver.findElement(By.cssSelector("button[data-key='verify:demo-phrasebook']")).isEnabled()).isFalse();
    }
  }

  // ---------------------------------------------------------------- contrast

  @Test
  void everyTextAndFocusRingMeetsWcagAaInBothSchemes() throws Exception {
    soko.install("silero-vad");
    soko.install("demo-phrasebook");
    Fixtures.installLocal(soko, dir.resolve("sources"), "tiny-unverified", "a model changed since it was verified", 5);
    FileCheck bad = soko.list().stream().filter(c -> c.model().manifest().name().value().equals("demo-phrasebook"))
        .findFirst().orElseThrow().files().getFirst();
    bad.blob().toFile().setWritable(true);
    byte[] bytes = Files.readAllBytes(bad.blob());
    bytes[0] ^= 1;
    Files.write(bad.blob(), bytes);
    soko.verify(java.util.Optional.of("demo-phrasebook"), false);
    FileCheck touched = soko.list().stream().filter(c -> c.model().manifest().name().value().equals("tiny-unverified"))
        .findFirst().orElseThrow().files().getFirst();
    Files.setLastModifiedTime(touched.blob(), java.nio.file.attribute.FileTime.fromMillis(1_000_000));
    openPage();
    driver.findElement(By.cssSelector("#models tr[data-model='demo-phrasebook'] details summary")).click();
    driver.executeScript("status(arguments[0], 'error')", "An error message, as the page shows one");

    for (Chromium.Scheme scheme : Chromium.Scheme.values()) {
      Chromium.scheme(driver, scheme);
      List<PageChecks.TextContrast> texts = PageChecks.textContrasts(driver);
      assertThat(texts).hasSizeGreaterThan(50).filteredOn(t -> t.ratio() < t.needed()).isEmpty();
      List<PageChecks.Graphic> graphics = PageChecks.graphics(driver);
      assertThat(graphics).hasSize(10).allSatisfy(g -> assertThat(g.ratio()).as(g.toString()).isGreaterThanOrEqualTo(3));
      List<PageChecks.FocusRing> rings = PageChecks.focusRingsByTab(driver);
      assertThat(rings).hasSizeGreaterThan(20).allSatisfy(r -> assertThat(r.ratio()).as(r.toString()).isGreaterThanOrEqualTo(3));
      report(scheme, texts, rings);
      graphics.forEach(g -> System.out.printf("  graphic %s: %s on %s: %.2f:1%n", g.where(), g.fg(), g.bg(), g.ratio()));
    }
  }

  /** Prints the lowest ratios per kind of text and ring, for the README and reviews. */
  private static void report(Chromium.Scheme scheme, List<PageChecks.TextContrast> texts, List<PageChecks.FocusRing> rings) {
    Map<String, PageChecks.TextContrast> lowest = new LinkedHashMap<>();
    for (PageChecks.TextContrast t : texts) {
      lowest.merge(t.fg() + " on " + t.bg(), t, (x, y) -> x.ratio() <= y.ratio() ? x : y);
    }
    System.out.println("contrast, " + scheme.css() + " scheme: " + texts.size() + " texts, " + rings.size() + " focus stops");
    lowest.values().stream().sorted(java.util.Comparator.comparingDouble(PageChecks.TextContrast::ratio))
        .forEach(t -> System.out.printf("  text %s: %.2f:1 (needs %.1f) e.g. %s \"%s\"%n", t.fg() + " on " + t.bg(), t.ratio(),
            t.needed(), t.where(), t.text()));
    Map<String, PageChecks.FocusRing> ringPairs = new LinkedHashMap<>();
    for (PageChecks.FocusRing r : rings) {
      ringPairs.merge(r.ring() + " on " + r.behind(), r, (x, y) -> x.ratio() <= y.ratio() ? x : y);
    }
    ringPairs.values().forEach(r -> System.out.printf("  focus ring %s on %s: %.2f:1 e.g. %s%n", r.ring(), r.behind(),
        r.ratio(), r.where()));
  }
}
