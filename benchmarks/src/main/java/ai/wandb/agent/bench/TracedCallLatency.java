package ai.wandb.agent.bench;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * App latency of a traced call at a steady rate (a child JVM, with the agent attached and its sink up or
 * down): {@code TracedCallLatency <calls per second> <seconds>}. Prints one {@code RESULT} line with
 * p50 and p99 in nanoseconds. The rate is paced so the sink sees a realistic flow, not a flood.
 */
public final class TracedCallLatency {
    private TracedCallLatency() {}

    public static void main(String[] args) {
        int rate = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        InMemoryChatApp app = new InMemoryChatApp();
        for (int i = 0; i < 20_000; i++) {
            app.call();
        }
        int calls = rate * seconds;
        long[] nanos = new long[calls];
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            app.call();
            nanos[i] = System.nanoTime() - start;
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        Arrays.sort(nanos);
        System.out.println("RESULT p50_ns=" + nanos[calls / 2] + " p99_ns=" + nanos[(int) (calls * 0.99)]);
    }
}
