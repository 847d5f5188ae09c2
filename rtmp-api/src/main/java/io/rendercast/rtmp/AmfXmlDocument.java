package io.rendercast.rtmp;

/** An AMF XML document, kept as its text. */
public record AmfXmlDocument(String xml) {
}
