/**
 * The RTMP server and the handlers an application installs on it.
 *
 * <p>Start with {@link io.rendercast.rtmp.RtmpServer#create()}, add a {@link io.rendercast.rtmp.ConnectHandler},
 * and register stream, play, render and frame handlers as connections and streams arrive. Every handler runs
 * on a thread the server owns and names; none ever runs on a network thread.
 */
package io.rendercast.rtmp;
