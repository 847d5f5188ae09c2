/**
 * The RTMP server and the handlers an application installs on it.
 *
 * <p>Start with {@link io.rendercast.rtmp.RtmpServer#create()}, add a {@link io.rendercast.rtmp.ConnectHandler},
 * and register stream, play and render handlers as connections and streams arrive: a
 * {@link io.rendercast.rtmp.CanvasRenderHandler} draws into canvases the server encodes and sends, or a
 * {@link io.rendercast.rtmp.RenderHandler} and a {@link io.rendercast.rtmp.FrameHandler} do it all themselves.
 * Every handler runs on a thread the server owns and names; none ever runs on a network thread.
 *
 * <h2>AMF values</h2>
 *
 * <p>What a client sends (the connect command object and arguments, a call's command object and arguments, a
 * data message's values, the answer to a {@link io.rendercast.rtmp.Connection#call}) reaches the application as
 * these Java values. A client may send any value as AMF0 or, after the AMF0 switch marker or in an AMF3
 * message, as AMF3; which one it chose shows in the Java type of numbers, so a handler that wants a number
 * should take any {@link java.lang.Number} and not cast to one of its subclasses.
 * <table class="striped">
 *   <caption>AMF value received, and the Java value an application gets</caption>
 *   <thead><tr><th scope="col">AMF</th><th scope="col">Java</th></tr></thead>
 *   <tbody>
 *   <tr><th scope="row">AMF0 number</th><td>{@link java.lang.Double}</td></tr>
 *   <tr><th scope="row">AMF3 integer</th><td>{@link java.lang.Integer} (29 bits, signed)</td></tr>
 *   <tr><th scope="row">AMF3 double</th><td>{@link java.lang.Double}</td></tr>
 *   <tr><th scope="row">AMF0 boolean, AMF3 true and false</th><td>{@link java.lang.Boolean}</td></tr>
 *   <tr><th scope="row">string, AMF0 long string</th><td>{@link java.lang.String}</td></tr>
 *   <tr><th scope="row">null, undefined, AMF0 unsupported</th><td>{@code null}</td></tr>
 *   <tr><th scope="row">anonymous object, AMF0 ECMA array</th><td>{@code Map<String, Object>}, in the order
 *       the client sent the keys</td></tr>
 *   <tr><th scope="row">AMF0 strict array, AMF3 array with only dense entries</th><td>{@code List<Object>}</td></tr>
 *   <tr><th scope="row">AMF3 array with named entries</th><td>{@code Map<String, Object>}: the named entries,
 *       then the dense ones keyed {@code "0"}, {@code "1"}, ...</td></tr>
 *   <tr><th scope="row">typed object (with a class name)</th><td>{@link io.rendercast.rtmp.AmfTypedObject}</td></tr>
 *   <tr><th scope="row">date</th><td>{@link java.time.Instant}, to the millisecond (the AMF0 time zone is
 *       ignored)</td></tr>
 *   <tr><th scope="row">XML document, AMF3 XML</th><td>{@link io.rendercast.rtmp.AmfXmlDocument}</td></tr>
 *   <tr><th scope="row">AMF3 ByteArray</th><td>{@code byte[]}</td></tr>
 *   <tr><th scope="row">AMF3 int, uint and double vectors</th><td>{@code int[]}, {@code long[]},
 *       {@code double[]}</td></tr>
 *   <tr><th scope="row">AMF3 object vector</th><td>{@code List<Object>}</td></tr>
 *   <tr><th scope="row">AMF3 dictionary</th><td>{@code Map<Object, Object>}</td></tr>
 *   <tr><th scope="row">AMF3 externalizable Flex {@code ArrayCollection}, {@code ObjectProxy}</th><td>the
 *       value each wraps; other externalizable classes are refused, since only the class knows
 *       how to read its body</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Within one message, an object the client sends again by reference is the same Java object each time.
 *
 * <p>What the server sends (a {@link io.rendercast.rtmp.CallResult}'s value, the arguments of a
 * {@link io.rendercast.rtmp.Connection#call}) is always AMF0, which has fewer types: {@code null},
 * {@link java.lang.Boolean}, any {@link java.lang.Number} (sent as an AMF0 number, a double),
 * {@link java.lang.String}, a {@code Map} with non-empty string keys (an object), a {@code List} (a strict
 * array), {@link java.time.Instant}, {@link io.rendercast.rtmp.AmfTypedObject} and
 * {@link io.rendercast.rtmp.AmfXmlDocument}, nested as deep as needed. Other types, {@code byte[]} and the
 * other arrays among them, cannot be sent.
 */
package io.rendercast.rtmp;
