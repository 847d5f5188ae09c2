package io.rendercast.rtmp.protocol.message;

/** Events of the User Control message (type 4). */
public enum UserControlEvent {
    STREAM_BEGIN(0),
    STREAM_EOF(1),
    STREAM_DRY(2),
    SET_BUFFER_LENGTH(3),
    STREAM_IS_RECORDED(4),
    PING_REQUEST(6),
    PING_RESPONSE(7);

    private final int id;

    UserControlEvent(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The event with that id, or {@code null} for one this server does not know (such as Flash's 0x1a). */
    public static UserControlEvent of(int id) {
        for (UserControlEvent event : values()) {
            if (event.id == id) {
                return event;
            }
        }
        return null;
    }
}
