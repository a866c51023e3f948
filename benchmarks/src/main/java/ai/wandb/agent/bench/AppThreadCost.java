package ai.wandb.agent.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time and bytes allocated by the calling thread itself per call (a child JVM, with or without the
 * agent): {@code AppThreadCost <openai-java|openai-java-unexported|hook> <warm-up calls> <measured calls>},
 * where {@code openai-java} is a chat call against the in-memory endpoint ({@code -unexported}: with the
 * agent's spans dropped instead of queued, so the exporter does not render on the other core) and {@code hook} the hook path alone
 * ({@link TracedStep}, with an exporter without sinks). JMH's {@code -prof gc} counts every thread, the
 * exporter's too; this counts only the application thread, which is what the agent promises to leave
 * alone. Prints one {@code RESULT} line.
 */
public final class AppThreadCost {
    private AppThreadCost() {}

    public static void main(String[] args) {
        Runnable call;
        if (args[0].equals("hook")) {
            TracedStep.useExporterWithoutSinks();
            TracedStep step = new TracedStep();
            call = () -> step.answer("What is 6 x 7?");
        } else {
            if (args[0].equals("openai-java-unexported")) {
                unexported();
            }
            InMemoryChatApp app = new InMemoryChatApp();
            call = app::call;
        }
        int warmup = Integer.parseInt(args[1]);
        int calls = Integer.parseInt(args[2]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long bytes = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        double cpuPerCall = (threads.getCurrentThreadCpuTime() - cpu) / (double) calls;
        double bytesPerCall = (threads.getCurrentThreadAllocatedBytes() - bytes) / (double) calls;
        System.out.printf("RESULT cpu_ns=%.1f bytes=%.1f%n", cpuPerCall, bytesPerCall);
    }

    /**
     * {@code Tracer.setListener(null)}: spans are made and dropped, so nothing is queued or rendered; what
     * is left is the agent's own work on this thread, without the exporter busy on the other core.
     */
    private static void unexported() {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        try {
            Class<?> listener = Class.forName("ai.wandb.agent.api.SpanListener", true, loader);
            Class.forName("ai.wandb.agent.api.Tracer", true, loader).getMethod("setListener", listener)
                    .invoke(null, new Object[] {null});
        } catch (ClassNotFoundException e) {
            // without the agent there is nothing to turn off
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
