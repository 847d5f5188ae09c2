package io.rendercast.rtmp.server.playback;

import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderProvider;
import io.rendercast.video.VideoEncoders;
import java.util.List;

/**
 * The encoder choice, checked when the server starts rather than when the first player plays: a name that no
 * provider has (a typo, or {@code nvenc} without its module), or providers none of which can run, is a WARNING in
 * the start's log, once, saying what to add; no provider at all, with no name given, is an INFO line (the
 * application may encode its frames itself); a good choice is one INFO line saying what was chosen and why.
 */
final class EncoderChoiceLog {

    private static final System.Logger LOG = System.getLogger(EncoderChoiceLog.class.getName());
    /** The codec a stream gets unless it asks for another. */
    private static final String DEFAULT_CODEC = "h264";

    private EncoderChoiceLog() {
    }

    static void log(String choice, List<VideoEncoderProvider> providers) {
        String codec = providers.stream().filter(p -> p.name().equals(choice)).map(VideoEncoderProvider::codec)
                .findFirst().orElse(DEFAULT_CODEC);
        try {
            String why = VideoEncoders.choose(codec, choice, providers).why();
            if (!codec.equals(DEFAULT_CODEC)) {
                // A name applies to its provider's codec only: say what the others, h264 first, get.
                why += "; streams of other codecs, " + DEFAULT_CODEC + " among them, get auto's choice";
            }
            LOG.log(System.Logger.Level.INFO, "encoder ({0}={1}): {2}", VideoEncoders.CHOICE_PROPERTY, choice, why);
        } catch (VideoEncoderException e) {
            // With no provider at all and no name given, the application may well encode its frames itself.
            System.Logger.Level level = providers.isEmpty() && VideoEncoders.AUTO.equals(choice)
                    ? System.Logger.Level.INFO : System.Logger.Level.WARNING;
            LOG.log(level, "encoder ({0}={1}): streams that encode {2} will be refused: {3}",
                    VideoEncoders.CHOICE_PROPERTY, choice, codec, e.getMessage());
        }
    }
}
