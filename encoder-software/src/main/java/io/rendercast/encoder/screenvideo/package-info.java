/**
 * Screen Video (FLV codec 3), encoded in Java: the picture cut into blocks of BGR pixels, each compressed with
 * zlib, and blocks that did not change since the last frame sent empty.
 */
package io.rendercast.encoder.screenvideo;
