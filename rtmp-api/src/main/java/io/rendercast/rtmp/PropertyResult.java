package io.rendercast.rtmp;

/**
 * The outcome of setting a connection or stream property: the return codes 0, -1 and -2 of {@code set_property}
 * in the Iray SDK's RTMP server API ({@code mi::rtmp}), which this API restates.
 */
public enum PropertyResult {
    /** The property was set. */
    OK,
    /** The key is neither a reserved property nor an application key (which start with {@code user_}). */
    NO_SUCH_PROPERTY,
    /** The key is known but the value is not valid for it. */
    INVALID_VALUE
}
