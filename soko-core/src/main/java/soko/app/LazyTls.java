package soko.app;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import soko.acquisition.Trust;

/**
 * A TLS context that makes the real one ({@link Trust#context()}) at its first use, so that a
 * command which never opens an https connection never loads the JDK's TLS provider: in a fresh
 * process {@code SSLContext.getInstance("TLS")} cost 80-100 ms of {@code soko list}'s time
 * (measured on a loaded 2-core machine). Thread-safe: the real context is made once.
 */
final class LazyTls extends SSLContext {
  LazyTls(Trust trust) {
    super(new Spi(trust), null, "TLS");
  }

  private static final class Spi extends SSLContextSpi {
    private final Trust trust;
    private volatile SSLContext real;

    Spi(Trust trust) {
      this.trust = trust;
    }

    private SSLContext real() {
      SSLContext r = real;
      if (r == null) {
        synchronized (this) {
          r = real;
          if (r == null) {
            r = trust.context();
            real = r;
          }
        }
      }
      return r;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("this TLS context is set up by Soko's trust settings");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }
  }
}
