/**
 * Loopback OCI registries for tests: the Debian {@code docker-registry} binary (CNCF distribution
 * 2.8.2) started with its own config, a token server that signs ES256 JWTs, and a fault-switch
 * HTTP server that can proxy to a registry and break chosen requests.
 */
@NullMarked
package soko.testkit.registry;

import org.jspecify.annotations.NullMarked;
