/** A first Rendercast application: one scene, one call of its own, its own page. */
module io.rendercast.hello {
    requires io.rendercast.rtmp;
}
