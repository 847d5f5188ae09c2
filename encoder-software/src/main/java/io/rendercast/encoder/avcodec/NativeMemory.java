package io.rendercast.encoder.avcodec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.Pointer;

/**
 * Gives memory that freed encoders leave with the C allocator back to the system. An x264 encoder holds
 * megabytes, allocated in pieces below glibc's mmap threshold; freed, they stay in the allocator's arenas, and
 * a server that served two hundred players and saw them leave kept 1.3 GB more resident than before. A trim
 * ({@code malloc_trim(0)}, through JavaCPP) a moment after encoders are freed returns it, at most once per
 * {@value #DELAY_MILLIS} ms however many are freed at once.
 */
final class NativeMemory {

    private static final long DELAY_MILLIS = 1000;
    private static final AtomicBoolean SCHEDULED = new AtomicBoolean();

    private NativeMemory() {
    }

    /** An encoder's memory was freed: trim the allocator soon. */
    static void freed() {
        if (SCHEDULED.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
                SCHEDULED.set(false);
                Pointer.trimMemory();
            });
        }
    }
}
