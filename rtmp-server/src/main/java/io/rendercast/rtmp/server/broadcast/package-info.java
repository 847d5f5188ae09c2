/**
 * A shared stream: one render and encode for every player of its name, frames chunked once and written to all,
 * cached pictures for joiners, and slow players skipped to key frames or closed.
 */
package io.rendercast.rtmp.server.broadcast;
