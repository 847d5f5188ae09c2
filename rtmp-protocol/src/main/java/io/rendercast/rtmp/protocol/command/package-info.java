/**
 * RTMP commands: the wire form ({@link io.rendercast.rtmp.server.command.Command}) and what each one a client
 * sends means ({@link io.rendercast.rtmp.server.command.ClientCommand}), decoded in one place.
 */
package io.rendercast.rtmp.server.command;
