package io.rendercast.rtmp.server.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The encoder choice is checked when the server starts, and said once: what was chosen, or what to add. */
class EncoderChoiceLogTest {

    private static VideoEncoderProvider provider(String name, String codec) {
        return new VideoEncoderProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String codec() {
                return codec;
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public Availability availability() {
                return Availability.available("on the CPU");
            }

            @Override
            public VideoEncoder create() {
                throw new UnsupportedOperationException("not in this test");
            }
        };
    }

    private static List<LogRecord> logged(String choice, List<VideoEncoderProvider> providers) {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(EncoderChoiceLog.class.getName());
        logger.addHandler(handler);
        try {
            EncoderChoiceLog.log(choice, providers);
        } finally {
            logger.removeHandler(handler);
        }
        return records;
    }

    private static String text(LogRecord record) {
        return java.text.MessageFormat.format(record.getMessage(), record.getParameters());
    }

    @Test
    void nvencWithoutItsModuleIsOneWarningThatNamesTheArtifact() {
        List<LogRecord> records = logged("nvenc", List.of(provider("x264", "h264")));
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.getFirst().getLevel());
        assertTrue(text(records.getFirst()).contains("io.rendercast:encoder-nvenc"), text(records.getFirst()));
    }

    @Test
    void aGoodChoiceIsOneInfoLineWithTheReason() {
        List<LogRecord> records = logged("auto", List.of(provider("x264", "h264")));
        assertEquals(Level.INFO, records.getFirst().getLevel());
        assertTrue(text(records.getFirst()).contains("auto chose x264 for h264: on the CPU"), text(records.getFirst()));
    }

    @Test
    void aNameForAnotherCodecSaysWhatH264Gets() {
        List<LogRecord> records = logged("sorenson", List.of(provider("x264", "h264"), provider("sorenson", "flv")));
        assertTrue(text(records.getFirst()).contains("h264 among them, get auto's choice"), text(records.getFirst()));
    }
}
