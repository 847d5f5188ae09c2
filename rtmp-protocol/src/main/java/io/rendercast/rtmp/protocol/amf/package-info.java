/**
 * AMF0 and AMF3, the encodings of RTMP's commands and data messages, read from and written to {@code ByteBuf}s
 * as the plain Java values the API names (see {@link io.rendercast.rtmp.AmfTypedObject}). AMF0's switch marker
 * (0x11) hands one value to AMF3.
 */
package io.rendercast.rtmp.protocol.amf;
