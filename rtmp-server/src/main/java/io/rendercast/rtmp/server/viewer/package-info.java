/**
 * The viewers that are not RTMP, on the HTTP port: the page and its WebSocket, WebSocket-FLV and HTTP-FLV. Each
 * is a connection like an RTMP one to the application.
 */
package io.rendercast.rtmp.server.viewer;
