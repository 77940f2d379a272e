package com.example.embed;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import soko.app.Consent;
import soko.app.ConsentRequiredException;
import soko.app.Settings;
import soko.app.Soko;
import soko.events.ProgressListener;
import soko.events.ThrottledListener;
import soko.events.TransferEvent;
import soko.manifest.Language;
import soko.model.VerifiedModel;
import soko.runtime.Segment;
import soko.runtime.audio.Wav;
import soko.runtime.manager.Engines;
import soko.runtime.manager.SpeechRegions;
import soko.runtime.manager.Translation;
import soko.store.ModelIntegrityException;
import soko.store.StoreRoots;

/**
 * What an app does with Soko, start to finish:
 *
 * <ol>
 *   <li>open Soko on the app's own folders;
 *   <li>install the bundled models (no network);
 *   <li>pull a model from a mirror, asking the user first (Consent) and showing progress;
 *   <li>get a VerifiedModel, run voice activity detection on a WAV file and translate a sentence;
 *   <li>react to a model whose file was damaged on disk.
 * </ol>
 *
 * <pre>
 * java --enable-native-access=soko.engine.onnx,com.microsoft.onnxruntime \
 *   --module-path embed-example.jar:lib -m com.example.embed/com.example.embed.EmbedExample APP_DIR CLIP.wav MIRRORED_MODEL.json
 * java --enable-native-access=ALL-UNNAMED -cp 'embed-example.jar:lib/*' com.example.embed.EmbedExample APP_DIR CLIP.wav MIRRORED_MODEL.json
 * </pre>
 *
 * The last argument is a model manifest whose file comes from an HTTP mirror (run.sh serves a small
 * phrasebook from nginx on 127.0.0.1). Exits 1 when something does not behave as described.
 */
public final class EmbedExample {
  private EmbedExample() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: EmbedExample APP_DIR CLIP.wav MIRRORED_MODEL.json");
      System.exit(2);
    }
    Path appDir = Path.of(args[0]);
    Path clip = Path.of(args[1]);
    String mirrored = args[2];

    // 1. The app decides where Soko keeps things: models (data), re-creatable downloads (cache), and
    // the user's own media library, which Soko never writes to and refuses to overlap.
    Settings settings = new Settings(
        new StoreRoots(appDir.resolve("models"), appDir.resolve("cache"), appDir.resolve("My Recordings")),
        false, // offline: true forbids every network request
        "example app folders");
    Soko soko = Soko.open(settings); // one per process; thread-safe; other processes may share the folders

    // 2. Bundled models ship inside soko-core: installing copies and verifies them, no network.
    for (String name : soko.bundledModels()) {
      Soko.InstallResult r = soko.install(name);
      say("installed %s %s (%s)", name, r.model().manifest().version(), r.alreadyInstalled() ? "already there" : r.bytesWritten() + " bytes");
    }

    // 3. A download. Without consent nothing goes over the network: the default is to refuse.
    try {
      soko.pull(mirrored, Consent.REFUSE, ProgressListener.NONE);
      fail("a download went ahead without consent");
    } catch (ConsentRequiredException e) {
      say("without consent: %s", e.getMessage());
    }
    // The app's dialog: Soko says what it would download, from where, the space left and the licence.
    Consent askTheUser = plan -> {
      say("consent asked: %s", plan.summary());
      return true; // a real app shows a dialog here (this runs on the installing thread; it may block)
    };
    // Progress events arrive on the downloading thread, often: keep the listener fast. ThrottledListener
    // passes at most one progress event per file per interval (and always the first and the last).
    ProgressListener progress = new ThrottledListener(event -> {
      switch (event) {
        case TransferEvent.Started s -> say("  %s: started from %s (%d bytes)", s.file(), s.host(), s.totalBytes());
        case TransferEvent.Progress p -> say("  %s: %d of %d bytes", p.file(), p.bytesDone(), p.totalBytes());
        case TransferEvent.Verifying v -> say("  %s: re-hashing %d bytes kept from an earlier run", v.file(), v.bytes());
        case TransferEvent.Retrying r -> say("  %s: retrying in %s (%s)", r.file(), r.delay(), r.reason());
        case TransferEvent.Done d -> say("  %s: done, %s", d.file(), d.sha256());
        case TransferEvent.Failed f -> say("  %s: failed: %s", f.file(), f.reason());
        case TransferEvent.Notice n -> say("  %s: %s", n.file(), n.message());
      }
    }, Duration.ofMillis(200), InstantSource.system());
    Soko.InstallResult pulled = soko.pull(mirrored, askTheUser, progress);
    String mirroredName = pulled.model().manifest().name().value();
    say("pulled %s: %d file(s), %d bytes", mirroredName, pulled.filesWritten(), pulled.bytesWritten());

    // 4. Using models. verified() checks each file against its verification record (a stat when
    // nothing changed, a re-hash when something did) and refuses a damaged model.
    VerifiedModel vad = soko.verified("silero-vad");
    vad.files().forEach((file, path) -> say("verified silero-vad/%s at %s", file, path));
    try (Engines engines = soko.runtime()) { // loads engines on first use, shares them, unloads idle ones
      SpeechRegions regions = engines.detectSpeech(Wav.read(clip));
      for (Segment s : regions.segments()) {
        say("speech from %.2f s to %.2f s", s.start().toMillis() / 1000.0, s.end().toMillis() / 1000.0);
      }
      if (regions.segments().isEmpty()) {
        fail("no speech found in " + clip);
      }
      Translation t = engines.translate("おはようございます", Language.JA, Language.EN);
      say("translated \"%s\" -> \"%s\" by %s%s", t.source(), t.text(), t.model().model(),
          t.model().demo() ? " (the DEMO phrasebook, not machine translation)" : "");
    }

    // 5. A file damaged on disk (here we damage it on purpose, standing in for a failing disk: an app
    // never writes into Soko's folders). The next use notices and refuses the model.
    Path file = soko.verified(mirroredName).files().values().iterator().next();
    file.toFile().setWritable(true);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() / 2);
      int b = raf.read();
      raf.seek(raf.length() / 2);
      raf.write(b ^ 0xff);
    }
    try {
      soko.verified(mirroredName);
      fail("a damaged model was handed out");
    } catch (ModelIntegrityException e) {
      // The message names the file, both digests and the repair. The app can repair at once:
      // pulling again moves the bad copy to quarantine and downloads the file again (with consent).
      say("refused: %s", e.getMessage());
      soko.pull(mirrored, askTheUser, ProgressListener.NONE);
      say("repaired: %s is %s", mirroredName,
          soko.verify(Optional.of(mirroredName), true).getFirst().state());
    }
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }

  private static void fail(String why) {
    System.err.println("EmbedExample: " + why);
    System.exit(1);
  }
}
