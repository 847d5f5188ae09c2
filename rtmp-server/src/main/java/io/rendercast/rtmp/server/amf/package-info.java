/**
 * AMF0, the encoding of RTMP's commands and data messages, read from and written to {@code ByteBuf}s as the
 * plain Java values the API names (see {@link io.rendercast.rtmp.AmfTypedObject}).
 */
package io.rendercast.rtmp.server.amf;
