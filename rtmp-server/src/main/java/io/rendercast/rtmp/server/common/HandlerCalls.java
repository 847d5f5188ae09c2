package io.rendercast.rtmp.server.common;

import io.rendercast.video.VideoEncoderException;

/** Runs an application handler and turns what it throws into one log line and a value for the caller. */
public final class HandlerCalls {

    private static final System.Logger LOG = System.getLogger(HandlerCalls.class.getName());

    /** A handler call that may throw anything. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws Exception;
    }

    private HandlerCalls() {
    }

    /**
     * The handler's result, or {@code onThrow} when it threw: logged once as "{@code where}: {@code what}
     * threw ...". Errors (out of memory, ...) are not caught.
     */
    public static <T> T call(Object where, String what, Call<T> call, T onThrow) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} was interrupted", where, what);
            return onThrow;
        } catch (Exception e) {
            if (e instanceof VideoEncoderException missing
                    && missing.reason() == VideoEncoderException.Reason.NO_PROVIDER) {
                // No encoder for a codec is the server's set-up, said once at its start: one line each, no trace.
                ClientEventLog.log(LOG, System.Logger.Level.WARNING, "{0}: {1} threw {2}", where, what,
                        e.getMessage());
            } else {
                LOG.log(System.Logger.Level.WARNING, where + ": " + what + " threw " + e, e);
            }
            return onThrow;
        }
    }

    /**
     * Calls a handler whose answer says whether its stream goes on: null when it returned true, else why the
     * stream stops ("the {@code what} threw", logged once as {@link #call} does, or "... returned false").
     */
    public static String callToGoOn(Object where, String what, Call<Boolean> call) {
        Boolean ok = call(where, what, call, null);
        return ok == null ? "the " + what + " threw" : ok ? null : "the " + what + " returned false";
    }
}
