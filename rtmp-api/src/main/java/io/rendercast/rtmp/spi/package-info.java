/** The service interface a server implementation provides; applications use {@link io.rendercast.rtmp.RtmpServer}. */
package io.rendercast.rtmp.spi;
