package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.util.Set;

/** What a stream needs of the connection that created it; the connection itself stays above playback. */
public interface StreamOwner {

    /** The connection as the application sees it. */
    Connection connection();

    /** The application's stream handler, or null. */
    StreamEventHandler streamEventHandler();

    /** The codecs the client said it plays. */
    Set<String> videoCodecs();

    /**
     * The procedures the connection's call handlers answer, for a page to offer only those inputs; null when a
     * default handler answers any name.
     */
    Set<String> procedures();

    /** Where the stream's messages and frames go. */
    ViewerTransport viewer();

    /** Runs a task on the connection thread, where the stream's state changes; dropped once it has ended. */
    void execute(Runnable task);

    /** Closes the connection once what is queued has gone out. */
    void closeAfterFlush();

    /** A frame went to the player. */
    void frameSent();

    /** A frame was not sent. */
    void frameDropped();

    /** One of its streams measured its player's path and set its encoder's bit rate (0: the stream stopped). */
    void linkMeasured(LinkEstimate estimate, long bitrate);
}
