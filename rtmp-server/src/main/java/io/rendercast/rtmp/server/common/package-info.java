/**
 * What every layer of the server uses: guarded calls into application handlers, rate-limited logs of what clients
 * cause, property maps, server-wide limits and the status objects players look for.
 */
package io.rendercast.rtmp.server.common;
