/**
 * Slow, far links between players and a server, for tests and benchmarks: a user-space TCP relay that any process
 * can run, and a packet link in the kernel's path (a network namespace and TUN devices, as root) that also loses
 * packets.
 */
module io.rendercast.linkemulator {
    requires com.sun.jna;

    exports io.rendercast.linkemulator;

    // JNA implements the C library interface with a proxy and reads it reflectively.
    opens io.rendercast.linkemulator.kernel to com.sun.jna;
}
