/**
 * The upstream publishing client: a relay pushes a broadcast to another RTMP server (nginx-rtmp, say) as one more
 * player, and reconnects with backoff.
 */
package io.rendercast.rtmp.server.relay;
