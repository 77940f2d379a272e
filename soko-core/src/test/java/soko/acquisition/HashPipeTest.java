package soko.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import soko.verification.Digest;
import soko.verification.Hashing;

/** The download hashing thread: same digest as hashing in one go, at any point, and it always stops. */
class HashPipeTest {
  @Test
  void givesTheDigestOfExactlyTheBytesHandedOffAtEveryPoint() throws Exception {
    Random random = new Random(8);
    byte[] all = new byte[3_000_000];
    random.nextBytes(all);
    MessageDigest oracle = Hashing.newSha256();
    try (HashPipe pipe = new HashPipe(200_000, "test")) {
      byte[] buffer = new byte[200_000];
      int at = 0;
      while (at < all.length) {
        int n = Math.min(1 + random.nextInt(buffer.length), all.length - at);
        System.arraycopy(all, at, buffer, 0, n);
        oracle.update(all, at, n);
        at += n;
        buffer = pipe.handOff(buffer, n);
        if (random.nextInt(5) == 0) {
          MessageDigest now = (MessageDigest) pipe.digest().clone();
          assertThat(Digest.of(now.digest())).isEqualTo(Digest.of(((MessageDigest) oracle.clone()).digest()));
        }
        random.nextBytes(buffer); // the returned buffer is the caller's: scribbling on it changes nothing
      }
      assertThat(Digest.of(pipe.digest().digest())).isEqualTo(Hashing.sha256(all));
    }
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("soko-hash test") && t.isAlive());
  }

  @Test
  void anInterruptDoesNotCutAHandOffShortAndIsKept() {
    try (HashPipe pipe = new HashPipe(1024, "interrupted")) {
      byte[] b = new byte[1024];
      Thread.currentThread().interrupt();
      for (int i = 0; i < 100; i++) {
        b = pipe.handOff(b, b.length);
      }
      assertThat(Digest.of(pipe.digest().digest())).isEqualTo(Hashing.sha256(new byte[100 * 1024]));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aHasherThatDiedIsReportedInsteadOfWaitedForForEver() {
    try (HashPipe pipe = new HashPipe(16, "broken")) {
      byte[] b = new byte[16];
      // A length past the buffer makes the hashing thread fail (it cannot happen in FileJob, which
      // hands off what it filled); the producer must not wait for it for ever.
      assertThatThrownBy(() -> {
        byte[] x = pipe.handOff(b, 1_000);
        for (int i = 0; i < 10; i++) {
          x = pipe.handOff(x, 16);
        }
        pipe.digest();
      }).isInstanceOf(IllegalStateException.class).hasMessage("the thread hashing broken stopped unexpectedly");
    }
  }
}
