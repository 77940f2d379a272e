package soko.acquisition;

import java.io.IOException;

/**
 * The HTTP proxy refused a request (its answer to {@code CONNECT} was not 2xx, or it wants
 * credentials): not retry-worthy, and the fix is in the proxy variables, not the network.
 */
final class ProxyException extends IOException {
  ProxyException(String message) {
    super(message);
  }
}
