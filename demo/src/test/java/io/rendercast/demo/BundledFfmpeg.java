package io.rendercast.demo;

import org.bytedeco.javacpp.Loader;

/**
 * The {@code ffmpeg} and {@code ffprobe} 8.1.2 programs that JavaCPP's FFmpeg natives jar holds beside the
 * libraries, extracted by JavaCPP's {@link Loader} into its cache (with the libraries, which the programs find
 * beside themselves through their {@code $ORIGIN} run path). Debian's ffmpeg (5.1) predates Enhanced RTMP; these
 * speak it (with {@code -rtmp_enhanced_codecs}, which also makes a player list the codecs in connect).
 */
final class BundledFfmpeg {

    private BundledFfmpeg() {
    }

    static ExternalTool ffmpeg() {
        return tool(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }

    static ExternalTool ffprobe() {
        return tool(Loader.load(org.bytedeco.ffmpeg.ffprobe.class));
    }

    private static ExternalTool tool(String program) {
        return new ExternalTool(program, "(JavaCPP's FFmpeg natives jar)");
    }
}
