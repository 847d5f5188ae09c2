/**
 * One client's session, whatever transport carries it: the command dispatcher on the connection's own thread,
 * the calls the server makes to the client, pings, admission, and the Netty handlers of an RTMP session.
 */
package io.rendercast.rtmp.server.connection;
