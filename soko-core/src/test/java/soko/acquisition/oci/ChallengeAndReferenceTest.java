package soko.acquisition.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import soko.manifest.SourceUri;
import soko.verification.Digest;

class ChallengeAndReferenceTest {
  @Test
  void aBearerChallengeWithQuotedCommasAndSpacesParses() {
    List<Challenge> c = Challenge.parse("Bearer realm=\"https://auth.example.org/token?a=1,b=2\",service=\"reg\","
        + "scope=\"repository:soko/other:pull,push repository:soko/m:pull\",error=\"insufficient_scope\"");

    assertThat(c).containsExactly(new Challenge("bearer", Map.of("realm", "https://auth.example.org/token?a=1,b=2",
        "service", "reg", "scope", "repository:soko/other:pull,push repository:soko/m:pull", "error", "insufficient_scope")));
  }

  @Test
  void severalChallengesInOneHeaderAreSeparated() {
    List<Challenge> c = Challenge.parse("Basic realm=\"a \\\"quoted\\\" realm\", Bearer realm=\"https://t\", service=s");

    assertThat(c).containsExactly(new Challenge("basic", Map.of("realm", "a \"quoted\" realm")),
        new Challenge("bearer", Map.of("realm", "https://t", "service", "s")));
  }

  @Test
  void aScopeAlreadyCoveredByTheRequestIsNotAskedForAgain() {
    assertThat(Auth.covered(List.of("repository:soko/m:pull,push"), "repository:soko/m:pull")).isTrue();
    assertThat(Auth.covered(List.of("repository:soko/m:pull"), "repository:soko/m:push")).isFalse();
    assertThat(Auth.covered(List.of("repository:soko/m:pull"), "repository:soko/other:pull")).isFalse();
  }

  @Test
  void referencesRoundTripAndDefaultToLatest() {
    String d = "sha256:" + "ab".repeat(32);
    assertThat(OciReference.parse("oci://ghcr.io/org/model:1.0.0@" + d))
        .isEqualTo(new OciReference("ghcr.io", "org/model", Optional.of("1.0.0"), Optional.of(Digest.parse(d))));
    assertThat(OciReference.parse("127.0.0.1:5000/soko/m")).hasToString("127.0.0.1:5000/soko/m:latest");
    assertThat(OciReference.parse("localhost:5000/a/b@" + d).manifestReference()).isEqualTo(d);
    assertThat(OciReference.parse("ghcr.io/org/m:2").blobUri(Digest.parse(d))).isEqualTo("oci://ghcr.io/org/m@" + d);
  }

  @Test
  void aReferenceWithoutARegistryHostIsRefused() {
    assertThatThrownBy(() -> OciReference.parse("library/model:1"))
        .hasMessage("\"library/model:1\" names no registry host (\"library\" is not one); write REGISTRY/REPOSITORY:TAG, like ghcr.io/org/model:1.0.0");
    assertThatThrownBy(() -> OciReference.parse("ghcr.io/Org/Model:1"))
        .hasMessageContaining("is not a repository name");
  }

  @Test
  void ociSourceUrisNameARepositoryAndABlobDigest() {
    SourceUri s = SourceUri.parse("oci://127.0.0.1:5000/soko/m@sha256:" + "0".repeat(64));
    assertThat(s.kind()).isEqualTo(SourceUri.Kind.OCI);
    assertThat(s.host()).isEqualTo("127.0.0.1:5000");
    assertThatThrownBy(() -> SourceUri.parse("oci://ghcr.io/soko/m:latest"))
        .hasMessage("an oci: source names a repository and a blob digest, like oci://ghcr.io/org/model@sha256:<64 hex>");
  }
}
