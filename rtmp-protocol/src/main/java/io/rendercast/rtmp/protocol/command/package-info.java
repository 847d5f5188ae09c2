/**
 * RTMP commands: the wire form ({@link io.rendercast.rtmp.protocol.command.Command}) and what each one a client
 * sends means ({@link io.rendercast.rtmp.protocol.command.ClientCommand}), decoded in one place.
 */
package io.rendercast.rtmp.protocol.command;
