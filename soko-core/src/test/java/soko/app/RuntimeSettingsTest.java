package soko.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import soko.inventory.Machine;
import soko.manifest.Task;
import soko.runtime.manager.RuntimeSettings;

class RuntimeSettingsTest {
  static final Machine MACHINE = new Machine("Linux", "6", "amd64", "test cpu", 2, 8L << 30, java.util.List.of(),
      java.util.List.of(), "25");

  @Test
  void defaultsComeFromTheMachineAndEnableNoCloudProvider() {
    RuntimeSettings s = RuntimeEnvironment.resolve(Map.of(), MACHINE);
    assertThat(s.threads()).isEqualTo(MACHINE.cores());
    assertThat(s.memoryBudgetBytes()).isEqualTo(MACHINE.memoryBytes() / 2);
    assertThat(s.idleUnload()).isEqualTo(RuntimeSettings.DEFAULT_IDLE_UNLOAD);
    assertThat(s.isolate()).isTrue();
    assertThat(s.cloud()).isEmpty();
  }

  @Test
  void environmentOverridesTheDefaults() {
    RuntimeSettings s = RuntimeEnvironment.resolve(Map.of("SOKO_THREADS", "3", "SOKO_IDLE_UNLOAD_SECONDS", "0",
        "SOKO_MEMORY_BUDGET_MB", "512", "SOKO_ISOLATE", "0"), MACHINE);
    assertThat(s).isEqualTo(new RuntimeSettings(3, Duration.ZERO, 512L << 20, false, java.util.Optional.empty()));
  }

  @Test
  void aCloudProviderNeedsItsProviderEndpointAndTasksAllGiven() {
    RuntimeSettings s = RuntimeEnvironment.resolve(Map.of("SOKO_CLOUD_PROVIDER", "acme", "SOKO_CLOUD_ENDPOINT",
        "https://mt.example.org/v1", "SOKO_CLOUD_TASKS", "translate, asr"), MACHINE);
    assertThat(s.cloud()).hasValueSatisfying(c -> {
      assertThat(c.providerId()).isEqualTo("acme");
      assertThat(c.endpoint()).isEqualTo(URI.create("https://mt.example.org/v1"));
      assertThat(c.tasks()).isEqualTo(Set.of(Task.TRANSLATE, Task.ASR));
    });
    assertThatThrownBy(() -> RuntimeEnvironment.resolve(Map.of("SOKO_CLOUD_PROVIDER", "acme"), MACHINE))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("SOKO_CLOUD_PROVIDER=acme needs SOKO_CLOUD_ENDPOINT (the service URL) and SOKO_CLOUD_TASKS"
            + " (such as translate or asr,speech-translate)");
    assertThatThrownBy(() -> RuntimeEnvironment.resolve(Map.of("SOKO_CLOUD_ENDPOINT", "https://x.example"),
        MACHINE)).hasMessageStartingWith("SOKO_CLOUD_ENDPOINT and SOKO_CLOUD_TASKS are set but");
  }

  @Test
  void unusableValuesAreRefusedWithTheVariableAndItsRange() {
    assertThatThrownBy(() -> RuntimeEnvironment.resolve(Map.of("SOKO_THREADS", "many"), MACHINE))
        .hasMessage("SOKO_THREADS must be a whole number from 1 to 1024, not \"many\"");
    assertThatThrownBy(() -> RuntimeEnvironment.resolve(Map.of("SOKO_CLOUD_PROVIDER", "acme", "SOKO_CLOUD_ENDPOINT",
        "https://x.example", "SOKO_CLOUD_TASKS", "vad"), MACHINE))
        .hasMessage("SOKO_CLOUD_PROVIDER settings: voice activity detection always runs locally; list asr,"
            + " speech-translate or translate");
  }
}
