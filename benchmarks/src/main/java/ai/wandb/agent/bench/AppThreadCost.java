package ai.wandb.agent.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time and bytes allocated by the calling thread itself per openai-java chat call (a child JVM, with
 * or without the agent): {@code AppThreadCost <warm-up calls> <measured calls>}. JMH's {@code -prof gc}
 * counts every thread, the exporter's too; this counts only the application thread, which is what the
 * agent promises to leave alone. Prints one {@code RESULT} line.
 */
public final class AppThreadCost {
    private AppThreadCost() {}

    public static void main(String[] args) {
        int warmup = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        InMemoryChatApp app = new InMemoryChatApp();
        for (int i = 0; i < warmup; i++) {
            app.call();
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long bytes = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            app.call();
        }
        long cpuPerCall = (threads.getCurrentThreadCpuTime() - cpu) / calls;
        long bytesPerCall = (threads.getCurrentThreadAllocatedBytes() - bytes) / calls;
        System.out.println("RESULT cpu_ns=" + cpuPerCall + " bytes=" + bytesPerCall);
    }
}
