/** JMH benchmarks of Rendercast's hot paths; compiled as a module, run by JMH from one jar. */
module io.rendercast.benchmarks {
    requires io.rendercast.rtmp;
    requires io.rendercast.rtmp.protocol;
    requires io.rendercast.demo;
    requires io.rendercast.linkemulator;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.common;
    requires jmh.core;
    requires java.logging;
    requires java.management;
    requires org.bytedeco.ffmpeg;
    requires org.bytedeco.javacpp;
    requires java.desktop;
    requires org.apache.commons.csv;
    requires xchart; // no module descriptor, nor Automatic-Module-Name: named for its jar

    opens io.rendercast.benchmarks;
    opens io.rendercast.benchmarks.jmh_generated;
}
