package io.rendercast.rtmp.server.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ClientEventLogTest {

    /** A logger that keeps what it is given. */
    private static final class Recording implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(MessageFormat.format(format, params));
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(msgSupplier.get());
        }
    }

    @Test
    void aFloodOfOneKindIsCutToItsBurstAndTheNextLineCountsWhatWasHeldBack() throws Exception {
        Recording logger = new Recording();
        String kind = "test {0}: flooded " + System.nanoTime(); // a kind of its own, whatever else ran
        for (int i = 0; i < 1000; i++) {
            ClientEventLog.log(logger, System.Logger.Level.WARNING, kind, i);
        }
        assertEquals(ClientEventLog.BURST, logger.lines.size(), "the burst, then nothing: " + logger.lines.size());
        assertEquals("test 0: flooded", logger.lines.getFirst().substring(0, 15));
        Thread.sleep(1000 / ClientEventLog.PER_SECOND + 50);
        ClientEventLog.log(logger, System.Logger.Level.WARNING, kind, 1000);
        String last = logger.lines.getLast();
        assertTrue(last.contains("(" + (1000 - ClientEventLog.BURST) + " more like it held back since the last)"),
                last);
    }

    @Test
    void anotherKindIsNotHeldBackByAFloodOfTheFirst() {
        Recording logger = new Recording();
        long now = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            ClientEventLog.log(logger, System.Logger.Level.WARNING, "flood " + now, i);
        }
        ClientEventLog.log(logger, System.Logger.Level.WARNING, "other " + now);
        assertEquals("other " + now, logger.lines.getLast());
    }
}
