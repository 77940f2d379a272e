package soko.app;

import java.util.List;
import soko.catalog.ModelFacts;
import soko.manifest.License;
import soko.manifest.Manifest;
import soko.manifest.ModelFile;

/**
 * What a download would do, for consent: the model and version, the bytes still to fetch (not
 * counting files already in the store or bytes already in resumable partial downloads), the free
 * space left afterwards, the hosts contacted, and the licence.
 *
 * <p>Immutable and thread-safe.
 *
 * @param manifest the model to download
 * @param files the files to fetch, with the bytes already present for each
 * @param bytesToDownload bytes that will cross the network
 * @param bytesAlreadyPresent bytes kept from earlier partial downloads
 * @param freeAfter usable bytes left on the disk after the download
 * @param hosts the hosts that may be contacted, in source order
 * @param license the model's licence, which the user accepts by consenting
 * @param evictions what the storage budget evicts once the model has verified, in order (see
 *     {@link Soko#budget()})
 */
public record DownloadPlan(Manifest manifest, List<PlannedFile> files, long bytesToDownload, long bytesAlreadyPresent,
    long freeAfter, List<String> hosts, License license, List<Eviction> evictions) {
  /**
   * Copies the lists.
   *
   * @param manifest the model to download
   * @param files the files to fetch, with the bytes already present for each
   * @param bytesToDownload bytes that will cross the network
   * @param bytesAlreadyPresent bytes kept from earlier partial downloads
   * @param freeAfter usable bytes left on the disk after the download (negative when it does not fit)
   * @param hosts the hosts that may be contacted, in source order
   * @param license the model's licence
   * @param evictions what the storage budget evicts, in order; copied, not null
   */
  public DownloadPlan {
    files = List.copyOf(files);
    hosts = List.copyOf(hosts);
    evictions = List.copyOf(evictions);
  }

  /**
   * A plan that evicts nothing.
   *
   * @param manifest the model to download
   * @param files the files to fetch, with the bytes already present for each
   * @param bytesToDownload bytes that will cross the network
   * @param bytesAlreadyPresent bytes kept from earlier partial downloads
   * @param freeAfter usable bytes left on the disk after the download (negative when it does not fit)
   * @param hosts the hosts that may be contacted, in source order
   * @param license the model's licence
   */
  public DownloadPlan(Manifest manifest, List<PlannedFile> files, long bytesToDownload, long bytesAlreadyPresent,
      long freeAfter, List<String> hosts, License license) {
    this(manifest, files, bytesToDownload, bytesAlreadyPresent, freeAfter, hosts, license, List.of());
  }

  /**
   * One file to fetch.
   *
   * @param file the file as the manifest lists it
   * @param partialBytes bytes already in a resumable partial download, kept
   */
  public record PlannedFile(ModelFile file, long partialBytes) {
    /**
     * The bytes still to fetch: the file's size less what is already present.
     *
     * @return bytes, 0 or more when {@code partialBytes} is at most the file's size
     */
    public long toDownload() {
      return file.size() - partialBytes;
    }
  }

  /**
   * Whether the model's licence forbids commercial use ({@link ModelFacts#nonCommercial}): such a
   * model installs only when the consent accepts its licence by name ({@link Consent#accepts}).
   *
   * @return true for a non-commercial licence
   */
  public boolean nonCommercial() {
    return ModelFacts.nonCommercial(manifest);
  }

  /**
   * One line a person can consent to.
   *
   * @return the model, the bytes to download, the hosts, the free space after, the licence and any evictions
   */
  public String summary() {
    return manifest.name() + " " + manifest.version() + ": download " + Bytes.human(bytesToDownload)
        + (bytesAlreadyPresent > 0 ? " (" + Bytes.human(bytesAlreadyPresent) + " already downloaded)" : "")
        + " from " + String.join(", ", hosts) + "; " + Bytes.human(Math.max(0, freeAfter)) + " free afterwards;"
        + " licence " + license.spdx() + (nonCommercial() ? " (non-commercial use only)" : "")
        + (evictions.isEmpty() ? "" : "; to stay within the budget, evicts "
            + String.join(", ", evictions.stream().map(Eviction::describe).toList()));
  }
}
