package soko.app;

import soko.acquisition.AcquisitionException;
import soko.acquisition.DownloadsFolderException;
import soko.acquisition.InsufficientSpaceException;
import soko.acquisition.oci.OciAuthException;
import soko.acquisition.oci.OciException;
import soko.acquisition.oci.OciIntegrityException;
import soko.acquisition.oci.OciNotFoundException;
import soko.catalog.CatalogException;
import soko.manifest.ManifestException;
import soko.runtime.EngineException;
import soko.store.ModelIntegrityException;
import soko.store.ModelNotInstalledException;
import soko.store.StoreConfigException;
import soko.store.StoreException;
import soko.store.StoreLockedException;
import soko.verification.IntegrityException;

/** Finds the {@link Reason} of any failure the library throws; the one place that looks at classes. */
public final class Failures {
  private Failures() {}

  /** The reason of {@code e}: by its type, and for wrappers by the cause that decides it. */
  public static Reason reason(Throwable e) {
    return switch (e) {
      case IntegrityException _, ModelIntegrityException _, OciIntegrityException _ -> Reason.INTEGRITY;
      case ConsentRequiredException _ -> Reason.CONSENT;
      case UnknownModelException _, NoSourceException _, ModelNotInstalledException _, OciNotFoundException _ ->
          Reason.NOT_FOUND;
      case OciAuthException _ -> Reason.REGISTRY_AUTH;
      case OciException _ -> Reason.NETWORK;
      case RegistryException r -> {
        Reason cause = r.getCause() == null ? Reason.INTERNAL : reason(r.getCause());
        yield cause == Reason.INTERNAL ? Reason.NETWORK : cause; // an I/O error talking to the registry
      }
      case InsufficientSpaceException _, DownloadsFolderException _ -> Reason.STORAGE;
      case AcquisitionException a -> a.wrongBytes() ? Reason.INTEGRITY : Reason.NETWORK;
      case ManifestException _, CatalogException _, StoreConfigException _, InvalidSettingException _ ->
          Reason.INVALID_INPUT;
      case StoreLockedException _ -> Reason.LOCKED;
      case BudgetException _ -> Reason.OVER_BUDGET;
      case soko.bundle.BundleException _ -> Reason.INVALID_INPUT;
      case StoreException _ -> Reason.STORAGE;
      case EngineException x -> x.getCause() instanceof ModelIntegrityException ? Reason.INTEGRITY : Reason.ENGINE;
      default -> Reason.INTERNAL;
    };
  }
}
