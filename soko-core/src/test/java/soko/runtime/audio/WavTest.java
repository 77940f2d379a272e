package soko.runtime.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import soko.runtime.Audio;
import soko.runtime.AudioFormatException;
import soko.testkit.TestAudio;

class WavTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void decodesEveryEncodingAt16kHzWithoutChangingTheSamples(Encoding encoding) throws Exception {
    double[] tone = TestWav.sine(440, 0.5, 16_000, 4_000);
    Audio audio = Wav.read(TestWav.of(encoding, 1, 16_000, new double[][] {tone}).bytes(), "tone.wav");

    assertThat(audio.length()).isEqualTo(tone.length);
    float[] s = audio.toArray();
    double tolerance = encoding == Encoding.PCM_U8 ? 1.0 / 100 : 1e-4;
    for (int i = 0; i < tone.length; i++) {
      assertThat((double) s[i]).as("sample %d", i).isCloseTo(tone[i], within(tolerance));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void decodesEveryEncodingAsWaveFormatExtensible(Encoding encoding) throws Exception {
    double[] tone = TestWav.sine(440, 0.5, 16_000, 1_600);
    TestWav w = TestWav.of(encoding, 2, 16_000, new double[][] {tone, tone});
    w.extensible = true;

    Audio audio = Wav.read(w.bytes(), "tone.wav");

    assertThat((double) audio.toArray()[4]).isCloseTo(tone[4], within(1.0 / 100));
    assertThat(audio.length()).isEqualTo(tone.length);
  }

  @Test
  void acceptsTwentyFourValidBitsInThirtyTwoBitSamples() throws Exception {
    double[] tone = TestWav.sine(440, 0.5, 16_000, 1_600);
    TestWav w = TestWav.of(Encoding.PCM_S32, 1, 16_000, new double[][] {tone});
    w.extensible = true;
    w.validBits = 24;

    assertThat((double) Wav.read(w.bytes(), "tone.wav").toArray()[10]).isCloseTo(tone[10], within(1e-4));
  }

  @Test
  void averagesStereoToMono() throws Exception {
    double[] left = TestWav.sine(440, 0.8, 16_000, 1_600);
    double[] right = new double[left.length];
    Arrays.fill(right, -0.2);

    float[] s = Wav.read(TestWav.of(Encoding.PCM_S16, 2, 16_000, new double[][] {left, right}).bytes(), "st.wav")
        .toArray();

    for (int i = 0; i < left.length; i++) {
      assertThat((double) s[i]).isCloseTo((left[i] + right[i]) / 2, within(1e-4));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8_000, 11_025, 12_000, 22_050, 24_000, 32_000, 44_100, 47_999, 48_000})
  void resamplingKeepsAToneInThePassBand(int rate) throws Exception {
    double[] tone = TestWav.sine(1_000, 0.5, rate, rate);
    Audio audio = Wav.read(TestWav.of(Encoding.FLOAT32, 1, rate, new double[][] {tone}).bytes(), "tone.wav");

    assertThat(audio.length()).isEqualTo((int) Math.ceil(rate * 16_000.0 / rate));
    float[] s = audio.toArray();
    // Skip the filter's edges: the tone starts and stops abruptly there.
    assertThat(rms(s, 1_000, 15_000)).isCloseTo(0.5 / Math.sqrt(2), within(0.005));
    // 1 kHz crosses zero 2000 times a second; the window is 14000 samples at 16 kHz.
    int expected = 2 * 1_000 * 14_000 / 16_000;
    assertThat(zeroCrossings(s, 1_000, 15_000)).isBetween(expected - 3, expected + 3);
  }

  @ParameterizedTest
  @ValueSource(ints = {44_100, 48_000, 32_000, 22_050})
  void downsamplingRemovesWhatSixteenKilohertzCannotHold(int rate) throws Exception {
    // Nearest-neighbour or linear resampling would fold 10 kHz back to 6 kHz at nearly full amplitude.
    double frequency = Math.min(10_000, rate / 2.0 - 500);
    double[] tone = TestWav.sine(frequency, 0.5, rate, rate);

    float[] s = Wav.read(TestWav.of(Encoding.FLOAT32, 1, rate, new double[][] {tone}).bytes(), "hi.wav").toArray();

    assertThat(rms(s, 1_000, 15_000)).isLessThan(0.5 / Math.sqrt(2) / 300);
  }

  @Test
  void readsTheEspeakClipWithItsSilentPadding() throws Exception {
    float[] s = Wav.read(TestAudio.JA_16K_MONO.path()).toArray();

    assertThat(rms(s, 0, 16_000)).isZero();
    assertThat(rms(s, s.length - 16_000, s.length)).isZero();
    assertThat(rms(s, 16_000, s.length - 16_000)).isGreaterThan(0.01);
  }

  @Test
  void stereoAt44kHzMatchesTheSameSentenceMadeAt16kHzMono() throws Exception {
    float[] mono = Wav.read(TestAudio.JA_16K_MONO.path()).toArray();
    float[] stereo = Wav.read(TestAudio.JA_44K_STEREO.path()).toArray();

    // sox made both from one espeak-ng output; the stereo mix is (1 + 0.5) / 2 = 0.75 of the mono clip.
    assertThat(stereo.length).isCloseTo(mono.length, within(2));
    int n = Math.min(mono.length, stereo.length);
    assertThat(rms(stereo, 0, n) / rms(mono, 0, n)).isCloseTo(0.75, within(0.02));
    assertThat(correlation(mono, stereo, n)).isGreaterThan(0.98);
  }

  @Test
  void readsStreamsAndBytesLikeFiles() throws Exception {
    Path file = TestAudio.KO_16K_MONO.path();
    float[] fromFile = Wav.read(file).toArray();

    float[] fromBytes = Wav.read(Files.readAllBytes(file), "ko.wav").toArray();
    float[] fromStream;
    try (InputStream in = Files.newInputStream(file)) {
      fromStream = Wav.read(in, "ko.wav").toArray();
    }

    assertThat(fromBytes).isEqualTo(fromFile);
    assertThat(fromStream).isEqualTo(fromFile);
  }

  @Test
  void skipsUnknownChunksIncludingOddSizedOnes() throws Exception {
    double[] tone = TestWav.sine(440, 0.5, 16_000, 160);
    TestWav w = TestWav.of(Encoding.PCM_S16, 1, 16_000, new double[][] {tone});
    w.beforeData = TestWav.chunk("LIST", new byte[] {1, 2, 3}, 3);

    assertThat(Wav.read(w.bytes(), "list.wav").length()).isEqualTo(160);
  }

  @Test
  void refusesSampleRatesAbove48kHz() {
    assertRefused(withRate(96_000),
        "song.wav: 96000 Hz is not supported; use a WAV file from 8 to 48 kHz (e.g. sox in.wav -r 16000 out.wav)");
  }

  @Test
  void refusesSampleRatesBelow8kHz() {
    assertRefused(withRate(7_999),
        "song.wav: 7999 Hz is not supported; use a WAV file from 8 to 48 kHz (e.g. sox in.wav -r 16000 out.wav)");
  }

  @Test
  void refusesOtherCodecsByName() {
    TestWav w = pcm16();
    w.formatTag = 7;
    w.bitsPerSample = 8;
    assertRefused(w.bytes(),
        "song.wav: µ-law audio is not supported; convert it to PCM (e.g. sox in.wav -e signed-integer -b 16 out.wav)");
  }

  @Test
  void refusesMoreThanTwoChannels() {
    TestWav w = pcm16();
    w.channels = 6;
    assertRefused(w.bytes(),
        "song.wav: 6 channels are not supported; use mono or stereo (e.g. sox in.wav -c 1 out.wav)");
  }

  @Test
  void refusesUnusualBitDepths() {
    TestWav w = pcm16();
    w.bitsPerSample = 12;
    assertRefused(w.bytes(), "song.wav: 12-bit PCM is not supported; use 8, 16, 24 or 32-bit PCM or 32/64-bit float"
        + " (e.g. sox in.wav -e signed-integer -b 16 out.wav)");
  }

  @Test
  void refusesFilesThatAreNotWav() {
    assertRefused("ID3\u0004 an mp3 file".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
        "song.wav: not a WAV file (it does not start with RIFF....WAVE); convert it to WAV"
            + " (e.g. ffmpeg -i in.m4a -ar 16000 -ac 1 out.wav)");
  }

  @Test
  void refusesADataChunkLargerThanTheFile() {
    TestWav w = pcm16();
    w.declaredDataSize = 0xFFFF_FFF0L;
    assertRefused(w.bytes(), "song.wav: the data chunk declares 4294967280 bytes, but only 3200 remain in the file;"
        + " the file is truncated or its header is wrong");
  }

  @Test
  void refusesATruncatedStream() {
    TestWav w = pcm16();
    w.declaredDataSize = 32_000L;
    assertThatThrownBy(() -> Wav.read(new ByteArrayInputStream(w.bytes()), "song.wav"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage("song.wav: the file ends inside the data chunk (1600 of 16000 frames are present); the file is truncated");
  }

  @Test
  void refusesAStreamDeclaringMoreThanTwoHoursBeforeReadingIt() {
    TestWav w = pcm16();
    w.sampleRate = 8_000;
    w.bitsPerSample = 8;
    w.declaredDataSize = 3L * 3600 * 8_000;
    assertThatThrownBy(() -> Wav.read(new ByteArrayInputStream(w.bytes()), "song.wav"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage("song.wav: 3 h of audio is longer than the 2 h limit; split it into shorter files"
            + " (e.g. sox in.wav out.wav trim 0 3600 : newfile : restart)");
  }

  @Test
  void refusesAStreamDeclaringMoreThanTwoGibibytes() {
    TestWav w = pcm16();
    w.declaredDataSize = 0xFFFF_FFF0L;
    assertThatThrownBy(() -> Wav.read(new ByteArrayInputStream(w.bytes()), "song.wav"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageStartingWith("song.wav: the data chunk declares 4294967280 bytes, but only ")
        .hasMessageEndingWith(" more may follow within the 2 GiB limit; the file is truncated or its header is wrong");
  }

  @Test
  void readsAStreamNoFurtherThanItsLimitWhenChunksClaimHugeSizes() {
    // An endless stream of zero bytes after a chunk that claims 3 GiB: refused at once, not read.
    TestWav w = pcm16();
    byte[] head = Arrays.copyOf(w.bytes(), 36);
    byte[] junk = TestWav.chunk("junk", new byte[0], 0xC000_0000L);
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 0;
      }
    };
    InputStream in = new SequenceInputStream(new ByteArrayInputStream(concat(head, junk)), endless);
    assertThatThrownBy(() -> Wav.read(in, "song.wav"))
        .isInstanceOf(AudioFormatException.class)
        .hasMessageStartingWith("song.wav: the \"junk\" chunk declares 3221225472 bytes");
  }

  @Test
  void refusesHeadersWhoseFrameSizeDisagrees() {
    TestWav w = pcm16();
    w.blockAlign = 4;
    assertRefused(w.bytes(), "song.wav: the header says 4 bytes per frame, but 1 channel(s) of 16-bit PCM need 2;"
        + " the header is inconsistent");
  }

  @Test
  void refusesHeadersWhoseByteRateDisagrees() {
    TestWav w = pcm16();
    w.byteRate = 44_100L;
    assertRefused(w.bytes(), "song.wav: the header says 44100 bytes per second, but 16-bit PCM, mono, 16000 Hz needs"
        + " 32000; the header is inconsistent");
  }

  @Test
  void refusesAHugeFmtChunk() {
    TestWav w = pcm16();
    w.fmtChunkSize = Integer.MAX_VALUE;
    assertRefused(w.bytes(),
        "song.wav: the fmt chunk is 2147483647 bytes, but a WAV fmt chunk is 16 to 40 bytes; the file is damaged");
  }

  @Test
  void refusesDataBeforeFmt() {
    TestWav w = pcm16();
    w.dataBeforeFmt = true;
    assertRefused(w.bytes(), "song.wav: the data chunk comes before the fmt chunk; the file is damaged");
  }

  @Test
  void refusesAFileWithoutData() {
    byte[] full = pcm16().bytes();
    assertRefused(Arrays.copyOf(full, 36), "song.wav: no data chunk; the file has no audio");
  }

  @Test
  void refusesAnEmptyDataChunk() {
    TestWav w = pcm16();
    w.data = new byte[0];
    assertRefused(w.bytes(), "song.wav: the data chunk is empty; the file has no audio");
  }

  @Test
  void refusesAPartialFrame() {
    TestWav w = pcm16();
    w.data = new byte[3];
    assertRefused(w.bytes(),
        "song.wav: the data chunk is 3 bytes, not a whole number of 2-byte frames; the file is truncated or damaged");
  }

  @Test
  void refusesNonFiniteFloatSamples() {
    TestWav w = TestWav.of(Encoding.FLOAT32, 1, 16_000, new double[][] {{0.1, Double.NaN, 0.2}});
    assertRefused(w.bytes(), "song.wav: sample 1 is NaN, not a finite number; the file is damaged");
  }

  @Test
  void refusesANonStandardExtensibleSubFormat() {
    TestWav w = pcm16();
    w.extensible = true;
    byte[] b = w.bytes();
    b[20 + 24 + 8] ^= 0x55; // a byte of the sub-format GUID's fixed part
    assertRefused(b, "song.wav: the WAVE_FORMAT_EXTENSIBLE sub-format is not a standard audio format;"
        + " convert it to PCM (e.g. sox in.wav -e signed-integer -b 16 out.wav)");
  }

  @Test
  void refusesFilesLargerThanTwoGibibytesBeforeOpeningThem() throws IOException {
    Path big = dir.resolve("song.wav");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(Wav.MAX_BYTES + 1); // sparse: takes no disk space
    }
    assertThatThrownBy(() -> Wav.read(big))
        .isInstanceOf(AudioFormatException.class)
        .hasMessage("song.wav: the file is 2.0 GiB; WAV input is limited to 2 GiB"
            + " (split it, e.g. sox in.wav out.wav trim 0 3600 : newfile : restart)");
  }

  private static TestWav pcm16() {
    return TestWav.of(Encoding.PCM_S16, 1, 16_000, new double[][] {TestWav.sine(440, 0.5, 16_000, 1_600)});
  }

  private static byte[] withRate(int rate) {
    TestWav w = pcm16();
    w.sampleRate = rate;
    return w.bytes();
  }

  private static void assertRefused(byte[] wav, String message) {
    assertThatThrownBy(() -> Wav.read(wav, "song.wav")).isInstanceOf(AudioFormatException.class).hasMessage(message);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static double rms(float[] s, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) s[i] * s[i];
    }
    return Math.sqrt(sum / (to - from));
  }

  private static int zeroCrossings(float[] s, int from, int to) {
    int n = 0;
    for (int i = from + 1; i < to; i++) {
      if ((s[i - 1] < 0) != (s[i] < 0)) {
        n++;
      }
    }
    return n;
  }

  private static double correlation(float[] a, float[] b, int n) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < n; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }
}
