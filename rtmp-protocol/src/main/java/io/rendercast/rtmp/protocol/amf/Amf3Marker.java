package io.rendercast.rtmp.protocol.amf;

/** AMF3 type markers. */
final class Amf3Marker {

    static final int UNDEFINED = 0x00;
    static final int NULL = 0x01;
    static final int FALSE = 0x02;
    static final int TRUE = 0x03;
    static final int INTEGER = 0x04;
    static final int DOUBLE = 0x05;
    static final int STRING = 0x06;
    static final int XML_DOCUMENT = 0x07;
    static final int DATE = 0x08;
    static final int ARRAY = 0x09;
    static final int OBJECT = 0x0A;
    static final int XML = 0x0B;
    static final int BYTE_ARRAY = 0x0C;
    static final int VECTOR_INT = 0x0D;
    static final int VECTOR_UINT = 0x0E;
    static final int VECTOR_DOUBLE = 0x0F;
    static final int VECTOR_OBJECT = 0x10;
    static final int DICTIONARY = 0x11;

    /** The range of AMF3's 29-bit signed integers. */
    static final int INTEGER_MIN = -(1 << 28);
    static final int INTEGER_MAX = (1 << 28) - 1;

    private Amf3Marker() {
    }
}
