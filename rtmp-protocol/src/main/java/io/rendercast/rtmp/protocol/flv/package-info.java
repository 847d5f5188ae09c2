/**
 * FLV video tag bodies, the payload of RTMP video messages: the codec header byte, and for H.264 the AVC
 * sequence header (AVCDecoderConfigurationRecord) and length-prefixed NAL units built from Annex B input.
 */
package io.rendercast.rtmp.protocol.flv;
