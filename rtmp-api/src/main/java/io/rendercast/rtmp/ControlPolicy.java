package io.rendercast.rtmp;

/**
 * Who gets to steer a {@link Broadcast} when a watcher asks ({@code requestControl}): the application's policy.
 * The server keeps the controllers and the queue; the policy only answers each request.
 *
 * <pre>{@code
 * broadcast.setControlPolicy(ControlPolicy.FIRST_ASKS);                    // one controller, the others queue
 * broadcast.setControlPolicy((b, asking) -> asking.getProperty("user_teacher") != null
 *         ? ControlPolicy.Answer.GRANT : ControlPolicy.Answer.REFUSE);   // only teachers steer, several at once
 * }</pre>
 */
@FunctionalInterface
public interface ControlPolicy {

    /** The answer to a request for control. */
    enum Answer {
        /** It controls now, beside any other controllers. */
        GRANT,
        /** It waits in line, and controls when a controller releases control or leaves and it is first. */
        QUEUE,
        /** It watches on; the reply says that control is not to be had. */
        REFUSE
    }

    /**
     * Answers {@code asking}'s request for control of {@code broadcast}, on that connection's thread. It must not
     * block.
     */
    Answer requested(Broadcast broadcast, Connection asking);

    /** The first to ask controls; later ones queue, in order, and each controls in turn as control is released. */
    ControlPolicy FIRST_ASKS = (broadcast, asking) ->
            broadcast.controllers().isEmpty() ? Answer.GRANT : Answer.QUEUE;

    /** Only the application grants control ({@link Broadcast#grantControl}); every request is refused. The default. */
    ControlPolicy APPLICATION_GRANTS = (broadcast, asking) -> Answer.REFUSE;
}
