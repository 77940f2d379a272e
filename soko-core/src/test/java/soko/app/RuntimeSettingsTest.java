package soko.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import soko.manifest.Task;

class RuntimeSettingsTest {
  @Test
  void defaultsComeFromTheMachineAndEnableNoCloudProvider() {
    RuntimeSettings s = RuntimeSettings.resolve(Map.of(), RuntimeFixtures.MACHINE);
    assertThat(s.threads()).isEqualTo(RuntimeFixtures.MACHINE.cores());
    assertThat(s.memoryBudgetBytes()).isEqualTo(RuntimeFixtures.MACHINE.memoryBytes() / 2);
    assertThat(s.idleUnload()).isEqualTo(RuntimeSettings.DEFAULT_IDLE_UNLOAD);
    assertThat(s.isolate()).isTrue();
    assertThat(s.cloud()).isEmpty();
  }

  @Test
  void environmentOverridesTheDefaults() {
    RuntimeSettings s = RuntimeSettings.resolve(Map.of("SOKO_THREADS", "3", "SOKO_IDLE_UNLOAD_SECONDS", "0",
        "SOKO_MEMORY_BUDGET_MB", "512", "SOKO_ISOLATE", "0"), RuntimeFixtures.MACHINE);
    assertThat(s).isEqualTo(new RuntimeSettings(3, Duration.ZERO, 512L << 20, false, java.util.Optional.empty()));
  }

  @Test
  void aCloudProviderNeedsItsProviderEndpointAndTasksAllGiven() {
    RuntimeSettings s = RuntimeSettings.resolve(Map.of("SOKO_CLOUD_PROVIDER", "acme", "SOKO_CLOUD_ENDPOINT",
        "https://mt.example.org/v1", "SOKO_CLOUD_TASKS", "translate, asr"), RuntimeFixtures.MACHINE);
    assertThat(s.cloud()).hasValueSatisfying(c -> {
      assertThat(c.providerId()).isEqualTo("acme");
      assertThat(c.endpoint()).isEqualTo(URI.create("https://mt.example.org/v1"));
      assertThat(c.tasks()).isEqualTo(Set.of(Task.TRANSLATE, Task.ASR));
    });
    assertThatThrownBy(() -> RuntimeSettings.resolve(Map.of("SOKO_CLOUD_PROVIDER", "acme"), RuntimeFixtures.MACHINE))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("SOKO_CLOUD_PROVIDER=acme needs SOKO_CLOUD_ENDPOINT (the service URL) and SOKO_CLOUD_TASKS"
            + " (such as translate or asr,speech-translate)");
    assertThatThrownBy(() -> RuntimeSettings.resolve(Map.of("SOKO_CLOUD_ENDPOINT", "https://x.example"),
        RuntimeFixtures.MACHINE)).hasMessageStartingWith("SOKO_CLOUD_ENDPOINT and SOKO_CLOUD_TASKS are set but");
  }

  @Test
  void unusableValuesAreRefusedWithTheVariableAndItsRange() {
    assertThatThrownBy(() -> RuntimeSettings.resolve(Map.of("SOKO_THREADS", "many"), RuntimeFixtures.MACHINE))
        .hasMessage("SOKO_THREADS must be a whole number from 1 to 1024, not \"many\"");
    assertThatThrownBy(() -> RuntimeSettings.resolve(Map.of("SOKO_CLOUD_PROVIDER", "acme", "SOKO_CLOUD_ENDPOINT",
        "https://x.example", "SOKO_CLOUD_TASKS", "vad"), RuntimeFixtures.MACHINE))
        .hasMessage("SOKO_CLOUD_PROVIDER settings: voice activity detection always runs locally; list asr,"
            + " speech-translate or translate");
  }
}
