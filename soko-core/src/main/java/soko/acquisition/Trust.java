package soko.acquisition;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities Soko trusts for https: the JDK's own ({@code cacerts}) together with
 * PEM files and folders of PEM files (the system store, {@code SSL_CERT_FILE}, {@code SSL_CERT_DIR},
 * {@code --ca-file}; {@code soko.app} decides which). Immutable and thread-safe.
 *
 * @param files PEM files, each with one or more certificates; a file that is missing or holds no
 *     certificate fails the first handshake with a message naming it
 * @param folders folders whose readable regular files are read as PEM when they parse (the
 *     OpenSSL layout of {@code /etc/ssl/certs}: hashed links and {@code .pem} files); the rest is
 *     skipped
 */
public record Trust(List<Path> files, List<Path> folders) {
  /** Only the JDK's CAs. */
  public static final Trust JDK = new Trust(List.of(), List.of());

  /** Copies the lists. */
  public Trust {
    files = List.copyOf(files);
    folders = List.copyOf(folders);
  }

  /**
   * An SSL context trusting these CAs. The certificates are read at the first handshake, not here,
   * so that commands that never use https pay nothing; that read happens once.
   *
   * @return a new TLS context; thread-safe, as the JDK's are
   */
  public SSLContext context() {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {new Lazy(this)}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no TLS implementation", e);
    }
  }

  /** Every trusted CA certificate: the JDK's, then those of the files and folders. */
  List<X509Certificate> certificates() throws CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      for (TrustManager tm : jdk.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          out.addAll(List.of(x.getAcceptedIssuers()));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new CertificateException("the JDK's CA certificates cannot be read: " + e.getMessage(), e);
    }
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (Path f : files) {
      List<X509Certificate> certs;
      try {
        certs = read(factory, f);
      } catch (IOException | CertificateException e) {
        throw new CertificateException("the CA file " + f + " cannot be read as PEM certificates (" + e.getMessage()
            + "); give a PEM file with -----BEGIN CERTIFICATE----- blocks", e);
      }
      if (certs.isEmpty()) {
        throw new CertificateException("the CA file " + f + " holds no certificate; give a PEM file with"
            + " -----BEGIN CERTIFICATE----- blocks");
      }
      out.addAll(certs);
    }
    for (Path folder : folders) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
        for (Path p : entries) {
          if (Files.isRegularFile(p) && Files.size(p) < 1024 * 1024) {
            try {
              out.addAll(read(factory, p));
            } catch (IOException | CertificateException notPem) {
              // a folder of certificates may hold other files (OpenSSL's hashed links to CRLs, READMEs)
            }
          }
        }
      } catch (IOException missing) {
        // SSL_CERT_DIR and the system folder are optional, as for OpenSSL
      }
    }
    return out;
  }

  private static List<X509Certificate> read(CertificateFactory factory, Path file)
      throws IOException, CertificateException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends java.security.cert.Certificate> certs = factory.generateCertificates(in);
      List<X509Certificate> out = new ArrayList<>();
      for (var c : certs) {
        if (c instanceof X509Certificate x) {
          out.add(x);
        }
      }
      return out;
    }
  }

  /**
   * What to do about a TLS failure with {@code host}, when it is one: a certificate that no trusted
   * CA signed, one that names another host, an expired one, or a server that does not speak TLS.
   *
   * @param failure the exception a connection failed with
   * @param host the host connected to, for the message
   * @return one line saying what to do, or empty when the failure is not a TLS one
   */
  public static Optional<String> advice(Throwable failure, String host) {
    boolean ssl = false;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      ssl |= t instanceof SSLException;
      if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
        return Optional.of("the TLS certificate of " + host + " is outside its validity period; check this"
            + " computer's clock, or ask the server's owner to renew the certificate");
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("no subject alternative") || m.contains("no name matching")) {
        return Optional.of("the TLS certificate of " + host + " is for another host name; use the name the"
            + " certificate was made for");
      }
      if (m.contains("the ca file")) {
        return Optional.of(t.getMessage());
      }
      if (m.contains("pkix") || m.contains("unable to find valid certification path")
          || m.contains("trust anchor")) {
        return Optional.of("the TLS certificate of " + host + " is not signed by a CA that Soko trusts; if "
            + host + " uses a private CA, trust it with --ca-file CA.pem or SSL_CERT_FILE=CA.pem (a PEM file)");
      }
      if (m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext connection")) {
        return Optional.of(host + " does not speak TLS on that port; check the URL's port");
      }
    }
    return ssl ? Optional.of("TLS with " + host + " failed; if " + host + " uses a private CA, trust it with"
        + " --ca-file CA.pem or SSL_CERT_FILE=CA.pem") : Optional.empty();
  }

  /** Reads the certificates at the first check and then delegates to the JDK's PKIX trust manager. */
  private static final class Lazy extends X509ExtendedTrustManager {
    private final Trust trust;
    private volatile X509ExtendedTrustManager delegate;
    private volatile CertificateException broken;

    Lazy(Trust trust) {
      this.trust = trust;
    }

    private X509ExtendedTrustManager delegate() throws CertificateException {
      X509ExtendedTrustManager d = delegate;
      if (d != null) {
        return d;
      }
      synchronized (this) {
        if (delegate == null && broken == null) {
          try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : trust.certificates()) {
              ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(ks);
            for (TrustManager tm : f.getTrustManagers()) {
              if (tm instanceof X509ExtendedTrustManager x) {
                delegate = x;
              }
            }
            if (delegate == null) {
              broken = new CertificateException("this JDK has no X.509 trust manager");
            }
          } catch (CertificateException e) {
            broken = e;
          } catch (GeneralSecurityException | IOException e) {
            broken = new CertificateException("the trusted CAs cannot be loaded: " + e.getMessage(), e);
          }
        }
        if (broken != null) {
          throw broken;
        }
        return delegate;
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      try {
        return delegate().getAcceptedIssuers();
      } catch (CertificateException e) {
        return new X509Certificate[0];
      }
    }
  }
}
