package io.rendercast.rtmp.server.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The render budget's headroom, which a node reports to its balancer: the share of turn time left unused. */
class RenderBudgetTest {

    @Test
    void headroomIsTheShareOfTurnTimeLeftUnused() throws Exception {
        RenderBudget budget = new RenderBudget(2);
        assertEquals(100, budget.headroomPercent(), "nothing ran yet");
        TimeUnit.MILLISECONDS.sleep(1100);
        assertEquals(100, budget.headroomPercent(), "a second of no turns");

        // One of two turns held for the whole of a window: half the budget is left.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            budget.acquire(0, () -> true);
            holding.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            budget.release();
        });
        holding.await();
        budget.headroomPercent(); // a new window starts with the turn already held
        TimeUnit.MILLISECONDS.sleep(1100);
        int half = budget.headroomPercent();
        assertTrue(half >= 40 && half <= 55, "one turn of two held: " + half + "%");

        // A newcomer is let in and its share of what the one stream used is reserved: a second, in the same
        // window, is not let in on the same figure.
        assertTrue(budget.admit(10, 1), "half the turns are free: one more may start");
        assertTrue(!budget.admit(10, 1), "its share is taken: no second on the same measure");

        // Both turns held: none left. The second is held past the stuck limit too, and still counts as used.
        budget.acquire(0, () -> true);
        budget.headroomPercent();
        TimeUnit.MILLISECONDS.sleep(1100);
        assertEquals(0, budget.headroomPercent(), "every turn held");
        budget.release();
        done.countDown();
        holder.join();
        budget.headroomPercent();
        TimeUnit.MILLISECONDS.sleep(1100);
        assertEquals(100, budget.headroomPercent(), "released: the next window is idle again");
    }
}
