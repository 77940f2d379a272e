package soko.runtime.manager;

import soko.app.Soko;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static soko.runtime.manager.RuntimeFixtures.install;
import static soko.runtime.manager.RuntimeFixtures.jaEn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import soko.runtime.manager.RuntimeFixtures.CountingEngine;
import soko.runtime.manager.RuntimeFixtures.ScriptedClock;
import soko.manifest.Language;
import soko.manifest.Task;
import soko.manifest.TaskSpec;
import soko.runtime.Audio;
import soko.runtime.EngineCrashedException;
import soko.runtime.EngineException;
import soko.runtime.ModelUnavailableException;
import soko.runtime.cloud.CloudEndpoint;
import soko.runtime.cloud.CloudProvider;

/**
 * A cloud provider that really connects to a loopback server: it proves the network is used only
 * when the user configured the provider for the task, and then only by that provider.
 */
class CloudProvidersTest {
  @TempDir
  Path dir;

  private final ScriptedClock clock = new ScriptedClock();
  private final CountingEngine local = new CountingEngine();
  private final LoopbackProvider cloud = new LoopbackProvider();
  private ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private Thread acceptor;
  private Soko soko;

  @BeforeEach
  void start() throws Exception {
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().start(this::serve);
    soko = RuntimeFixtures.soko(dir.resolve("home"), clock);
    install(soko, dir, "silero-vad", 100, false, TaskSpec.vad());
    install(soko, dir, "whisper-base", 100, false, TaskSpec.asr(Language.JA));
    install(soko, dir, "demo-phrasebook", 100, true, jaEn());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    acceptor.join(5_000);
  }

  /** Answers each connection with "remote:" + the line it got. */
  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        accepted.incrementAndGet();
        s.setSoTimeout(5_000);
        String line = new String(readLine(s.getInputStream()), StandardCharsets.UTF_8);
        OutputStream out = s.getOutputStream();
        out.write(("remote:" + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // the server was closed
      }
    }
  }

  private static byte[] readLine(InputStream in) throws IOException {
    var buf = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      buf.write(b);
    }
    return buf.toByteArray();
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1");
  }

  private Engines engines(Optional<CloudEndpoint> configured) {
    return RuntimeFixtures.engines(soko, new RuntimeSettings(1, Duration.ZERO, 1L << 30, false, configured), local, clock,
        cloud);
  }

  @Test
  void withoutConfigurationEverythingRunsLocallyAndNothingConnects() throws Exception {
    try (Engines engines = engines(Optional.empty())) {
      assertThat(engines.cloudProviders()).extracting(CloudProvider::id).containsExactly("loopback");
      Translation t = engines.translate("こんにちは", Language.JA, Language.EN);
      Transcript s = engines.transcribe(Audio.of(new float[16_000]), Language.JA, false);
      assertThat(t.model().cloud()).isFalse();
      assertThat(t.text()).isEqualTo("en:こんにちは");
      assertThat(s.models()).noneMatch(ModelUse::cloud);
    }
    assertThat(cloud.calls).hasValue(0);
    assertThat(accepted).hasValue(0);
  }

  @Test
  void aProviderConfiguredForOtherTasksIsNeverCalledForThisOne() throws Exception {
    CloudEndpoint asrOnly = new CloudEndpoint("loopback", endpoint(), Set.of(Task.SPEECH_TRANSLATE));
    try (Engines engines = engines(Optional.of(asrOnly))) {
      Translation t = engines.translate("こんにちは", Language.JA, Language.EN);
      engines.transcribe(Audio.of(new float[16_000]), Language.JA, false);
      assertThat(t.model().model()).isEqualTo("demo-phrasebook@1.0.0");
    }
    assertThat(cloud.calls).hasValue(0);
    assertThat(accepted).hasValue(0);
  }

  @Test
  void anExplicitlyConfiguredProviderIsTheOnlyThingThatConnects() throws Exception {
    CloudEndpoint translate = new CloudEndpoint("loopback", endpoint(), Set.of(Task.TRANSLATE));
    try (Engines engines = engines(Optional.of(translate))) {
      Translation t = engines.translate("こんにちは", Language.JA, Language.EN);
      assertThat(t.text()).isEqualTo("remote:こんにちは");
      assertThat(t.model().cloud()).isTrue();
      assertThat(t.model().model()).isEqualTo("cloud:loopback");
    }
    assertThat(cloud.calls).hasValue(1);
    assertThat(accepted).hasValue(1);
    assertThat(local.opens).as("no local translator was loaded").hasValue(0);
  }

  @Test
  void offlineSokoRefusesTheConfiguredProviderWithoutConnecting() throws Exception {
    Soko offline = RuntimeFixtures.offlineSoko(dir.resolve("home"), clock);
    CloudEndpoint translate = new CloudEndpoint("loopback", endpoint(), Set.of(Task.TRANSLATE));
    try (Engines engines = RuntimeFixtures.engines(offline,
        new RuntimeSettings(1, Duration.ZERO, 1L << 30, false, Optional.of(translate)), local, clock, cloud)) {
      assertThatThrownBy(() -> engines.translate("こんにちは", Language.JA, Language.EN))
          .isInstanceOf(ModelUnavailableException.class)
          .hasMessage("SOKO_CLOUD_PROVIDER sends translate to loopback, but Soko is offline: go online, or remove"
              + " translate from SOKO_CLOUD_TASKS");
    }
    assertThat(accepted).hasValue(0);
  }

  @Test
  void aConfiguredProviderThatIsNotInstalledIsReportedNotSkipped() throws Exception {
    CloudEndpoint other = new CloudEndpoint("acme", endpoint(), Set.of(Task.TRANSLATE));
    try (Engines engines = engines(Optional.of(other))) {
      assertThatThrownBy(() -> engines.translate("こんにちは", Language.JA, Language.EN))
          .hasMessage("SOKO_CLOUD_PROVIDER names \"acme\", but no such cloud provider is installed (found: [loopback]):"
              + " fix the setting or unset it");
    }
    assertThat(accepted).hasValue(0);
  }

  /** Sends the text as one line to the endpoint's host and port and returns the reply. */
  static final class LoopbackProvider implements CloudProvider {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String id() {
      return "loopback";
    }

    @Override
    public String description() {
      return "a test service on the loopback interface";
    }

    @Override
    public List<TaskSpec> capabilities() {
      return List.of(jaEn());
    }

    @Override
    public String translate(CloudEndpoint endpoint, String text, Language from, Language to) throws EngineException {
      calls.incrementAndGet();
      try (Socket s = new Socket(endpoint.endpoint().getHost(), endpoint.endpoint().getPort())) {
        s.setSoTimeout(5_000);
        s.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return new String(readLine(s.getInputStream()), StandardCharsets.UTF_8);
      } catch (SocketTimeoutException e) {
        throw new EngineCrashedException("the loopback service did not answer", e);
      } catch (IOException e) {
        throw new EngineCrashedException("cannot reach " + endpoint.endpoint(), e);
      }
    }
  }
}
