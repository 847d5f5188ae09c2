package io.rendercast.rtmp;

/** The outcome of setting a connection or stream property (the seed's 0, -1 and -2). */
public enum PropertyResult {
    /** The property was set. */
    OK,
    /** The key is neither a reserved property nor an application key (which start with {@code user_}). */
    NO_SUCH_PROPERTY,
    /** The key is known but the value is not valid for it. */
    INVALID_VALUE
}
