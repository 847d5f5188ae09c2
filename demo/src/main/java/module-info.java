/**
 * The Rendercast demo: a server that streams an animated scene, a 2D one drawn in Java on the CPU or a 3D one
 * rendered with OpenGL on the GPU (canvas-gpu). Besides canvas-gpu it is written against the API alone: the
 * server and the encoder are found on the module path at run time.
 */
module io.rendercast.demo {
    requires transitive io.rendercast.rtmp;
    requires io.rendercast.canvas.gpu;
    requires java.logging;

    exports io.rendercast.demo;
}
