/** The server's metrics, in a Prometheus registry, served at {@code /metrics} on the HTTP port. */
package io.rendercast.rtmp.server.metrics;
