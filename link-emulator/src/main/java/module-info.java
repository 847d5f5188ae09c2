/** A user-space TCP relay that emulates a slow, far link, for tests and benchmarks. */
module io.rendercast.linkemulator {
    exports io.rendercast.linkemulator;
}
