package soko.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import soko.catalog.CatalogPublisher;
import soko.catalog.SigningKey;

@Command(name = "keygen", header = "Make an Ed25519 key pair for signing catalogs.",
    description = {"NAME.key is the private key (mode 0600; keep it secret) and NAME.pub.json the trusted keys file"
        + " to give to machines.", "Never overwrites a key."})
final class KeygenCommand implements Callable<Integer> {
  @ParentCommand
  SokoCommand root;

  @Parameters(paramLabel = "NAME", description = "Path prefix of the key files, e.g. keys/team-2026.")
  Path name;

  @Option(names = "--comment", description = "Who the key belongs to, shown to admins.")
  String comment = "";

  @Override
  public Integer call() throws Exception {
    Path priv = name.resolveSibling(name.getFileName() + ".key");
    Path pub = name.resolveSibling(name.getFileName() + ".pub.json");
    for (Path p : List.of(priv, pub)) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw refusal(p);
      }
    }
    SigningKey key = CatalogPublisher.generateKey();
    try {
      CatalogPublisher.writeKey(key, priv, pub, comment);
    } catch (FileAlreadyExistsException e) { // made by someone else in the meantime
      throw refusal(Path.of(e.getFile()));
    } catch (NoSuchFileException e) {
      throw new InputException("cannot write " + e.getFile() + ": its folder does not exist; create it first", e);
    }
    root.out.println("key id " + key.keyId() + ": private key " + priv + " (keep it secret), trusted keys file " + pub);
    return ExitCode.OK;
  }

  private static InputException refusal(Path existing) {
    return new InputException(existing + " already exists; soko keygen never overwrites a key: give another NAME,"
        + " or move the old key files away first");
  }
}
