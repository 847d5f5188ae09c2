/**
 * WebRTC viewers (WHEP, RFC 9725): ICE-lite and STUN on one UDP port, DTLS-SRTP (AES-GCM, or AES-CM with
 * HMAC-SHA1), H.264 and AV1 in RTP with RTX, FlexFEC and a pacer, RTCP feedback, Google Congestion Control setting
 * each viewer's encoder from its transport-wide feedback, and SCTP data channels carrying the page's calls. The top
 * layer of the server's packages.
 */
package io.rendercast.rtmp.server.webrtc;
