/**
 * The Rendercast demo: a server that streams an animated scene, a 2D one drawn in Java on the CPU or a 3D one
 * rendered with OpenGL on the GPU (canvas-gpu). Besides canvas-gpu, picocli (its options) and BouncyCastle (a
 * self-signed certificate for RTMPS) it is written against the API alone: the server and the encoder are found on
 * the module path at run time.
 */
module io.rendercast.demo {
    requires transitive io.rendercast.rtmp;
    requires io.rendercast.canvas.gpu;
    requires java.logging;
    // sun.misc.Signal: SIGTERM drains, SIGINT closes at once.
    requires jdk.unsupported;
    requires info.picocli;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;

    exports io.rendercast.demo;
    // picocli sets DemoOptions' command-line fields by reflection.
    opens io.rendercast.demo to info.picocli;
}
