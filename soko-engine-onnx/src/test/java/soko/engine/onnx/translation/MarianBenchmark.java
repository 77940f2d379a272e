package soko.engine.onnx.translation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Not a test: prints load, encoder and per-token decoding times for a random-weight model at
 * OPUS-MT geometry (d=512, 8 heads, FFN 2048, 6+6 layers, vocab 60,716, fp32). Run with the test
 * classpath: {@code java -cp ... soko.engine.onnx.translation.MarianBenchmark [threads]}. Writes about
 * 450 MB under java.io.tmpdir and deletes it afterwards.
 */
public final class MarianBenchmark {
  private MarianBenchmark() {}

  /**
   * {@code [threads]}: write a model to a temp folder, measure, delete it. {@code write DIR}: only
   * write the model. {@code run DIR [threads]}: only measure an existing model, so that this
   * process's peak RSS is loading and decoding, not generating.
   */
  public static void main(String[] args) throws Exception {
    int vocab = 60_716;
    TinyMarian.Geometry g = new TinyMarian.Geometry(vocab, 512, 8, 2048, 6, 6, 512, 1, -50, 0, false);
    boolean write = args.length > 0 && args[0].equals("write");
    boolean run = args.length > 0 && args[0].equals("run");
    int threads = run ? (args.length > 2 ? Integer.parseInt(args[2]) : 2)
        : (args.length > 0 && !write ? Integer.parseInt(args[0]) : 2);
    Path dir = write || run ? Path.of(args[1]) : Files.createTempDirectory("marian-bench");
    try {
      if (!run) {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        TinyMarian.write(g, dir, "");
        System.out.printf("wrote model in %d ms: encoder %d MB, decoder %d MB%n", ms(t0),
            Files.size(dir.resolve("encoder_model.onnx")) >> 20, Files.size(dir.resolve("decoder_model_merged.onnx")) >> 20);
        if (write) {
          return;
        }
      }
      int maxLength = 33; // 32 generated tokens: the eos bias of -50 keeps it from stopping early
      ModelConfig config = new ModelConfig(ModelConfig.Family.MARIAN, vocab, vocab - 1, Set.of(0), vocab - 1,
          maxLength, 0, 1, List.of(List.of(vocab - 1)), Optional.empty(), Optional.empty(), 1.0, false, 0, 1.0, 512);
      long t1 = System.nanoTime();
      try (Seq2SeqOnnx onnx = Seq2SeqOnnx.open(TestOrt.environment(), dir.resolve("encoder_model.onnx"),
          Seq2SeqOnnx.Layout.MERGED, List.of(dir.resolve("decoder_model_merged.onnx")), threads, config)) {
        System.out.printf("loaded both sessions in %d ms with %d threads%n", ms(t1), threads);
        Random random = new Random(1);
        long[][] source = new long[1][25];
        for (int i = 0; i < 24; i++) {
          source[0][i] = 1 + random.nextInt(vocab - 2);
        }
        Generator generator = new Generator(onnx, config);
        for (int round = 0; round < 3; round++) {
          long te = System.nanoTime();
          try (Seq2SeqOnnx.Encoded _ = onnx.encode(source)) {
            System.out.printf("round %d: encoder (25 tokens) %.1f ms%n", round, (System.nanoTime() - te) / 1e6);
          }
          long tg = System.nanoTime();
          int n = generator.greedy(source, Generator.StepObserver.NONE).getFirst().length;
          System.out.printf("round %d: greedy %d tokens, %.2f ms/token%n", round, n, (System.nanoTime() - tg) / 1e6 / n);
          long tb = System.nanoTime();
          int nb = generator.beam(source, 4, false).getFirst().length;
          System.out.printf("round %d: beam 4, %d tokens, %.2f ms/token%n", round, nb, (System.nanoTime() - tb) / 1e6 / nb);
        }
      }
    } finally {
      if (write || run) {
        return;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
