package ai.wandb.agent.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.jetty.server.Server;

/**
 * The agent's CPU and allocation per web request on its own threads, without {@link WebServerLoad}'s
 * 60 s windows and second JVM: {@link ChatWebApp}'s server in the measuring JVM (embedded Jetty,
 * {@code -javaagent}, the agent's own exporter and sinks as configured), its chat call answered in
 * memory ({@link InMemoryOpenAiHttpClient}, the recorded completion), driven open-loop at
 * {@link WebServerLoad#RATE} over loopback, so each request is the same 2-span trace as under load (the
 * servlet request's root and the openai-java span, from the real hooks and renderers) and the exporter
 * sees the same trickle of traces, batched by its naps as there.
 *
 * <p>{@code WebRequestExport <work dir> <warm-up s> <measured s> <rounds> <file|unreachable> <agent jar>...}
 * runs one child JVM per round and jar, the jars interleaved within each round, and prints each child's
 * {@code RESULT} line with its jar and round. {@code file}: the default sinks (the file sink);
 * {@code unreachable}: an API key and a W&B base URL nothing listens on, so the file, Weave and run
 * sinks run and the latter two spool ({@link WebServerLoad#unreachableWandb}).
 *
 * <p>The child ({@code WebRequestExport child <warm-up s> <measured s>}) reads the thread CPU clock and
 * the allocation counter of every {@code wandb-agent-*} thread around the measured window and prints
 * them per request: {@code exporter_*} for the exporter thread, {@code agent_*} for all of them.
 */
public final class WebRequestExport {
    private static final String AGENT_THREADS = "wandb-agent-";
    private static final String EXPORTER = "wandb-agent-exporter";
    /** The exporter naps up to 50 ms between batches: a window's edges wait that out twice over. */
    private static final long SETTLE_MILLIS = 200;

    private WebRequestExport() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("child")) {
            child(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Path work = Path.of(args[0]);
        int rounds = Integer.parseInt(args[3]);
        String variant = args[4];
        if (!variant.equals("file") && !variant.equals("unreachable")) {
            throw new IllegalArgumentException("unknown variant " + variant + "; known: file, unreachable");
        }
        List<String> jars = Arrays.asList(args).subList(5, args.length);
        // The children run in their own folders: this JVM's class path, made absolute.
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        for (int round = 1; round <= rounds; round++) {
            for (int j = 0; j < jars.size(); j++) {
                List<String> command = List.of(ChildJvm.JAVA, "-javaagent:" + jars.get(j), "-Xms256m", "-Xmx256m",
                        "-cp", classPath, WebRequestExport.class.getName(), "child",
                        args[1], args[2]);
                Map<String, String> env = variant.equals("unreachable") ? WebServerLoad.unreachableWandb() : Map.of();
                ChildJvm.Result result = new ChildJvm(work.resolve(variant + "-" + round + "-" + j), command, env).run();
                for (String line : result.stdout().split("\n")) {
                    if (line.startsWith("RESULT ")) {
                        System.out.println(line + " variant=" + variant + " round=" + round + " jar=" + jars.get(j));
                    }
                }
            }
        }
    }

    private static void child(int warmupSeconds, int seconds) throws Exception {
        Server server = ChatWebApp.start(InMemoryChatApp.client());
        try {
            URI uri = URI.create("http://127.0.0.1:" + ChatWebApp.port(server) + "/ask");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            WebServerLoad.drive(client, uri, warmupSeconds);
            Thread.sleep(SETTLE_MILLIS);
            Map<Long, long[]> before = agentThreads();
            long[] latencies = WebServerLoad.drive(client, uri, seconds);
            Thread.sleep(SETTLE_MILLIS);
            Map<Long, long[]> after = agentThreads();
            int requests = latencies.length;
            long failed = Arrays.stream(latencies).filter(latency -> latency < 0).count();
            long[] exporter = new long[2];
            long[] all = new long[2];
            Map<String, Long> cpuByThread = new TreeMap<>();
            for (Map.Entry<Long, long[]> thread : after.entrySet()) {
                long[] was = before.getOrDefault(thread.getKey(), new long[2]);
                long cpu = thread.getValue()[0] - was[0];
                long bytes = thread.getValue()[1] - was[1];
                String name = threadName(thread.getKey());
                if (EXPORTER.equals(name)) {
                    exporter[0] += cpu;
                    exporter[1] += bytes;
                }
                all[0] += cpu;
                all[1] += bytes;
                cpuByThread.merge(String.valueOf(name), cpu / 1000, Long::sum);
            }
            System.out.printf("RESULT requests=%d failed=%d exporter_cpu_us=%.1f exporter_bytes=%.0f"
                    + " agent_cpu_us=%.1f agent_bytes=%.0f%n", requests, failed, exporter[0] / 1e3 / requests,
                    exporter[1] / (double) requests, all[0] / 1e3 / requests, all[1] / (double) requests);
            System.out.println("THREADS cpu_us_total " + cpuByThread);
        } finally {
            server.stop();
        }
    }

    /** Per live agent thread by id: {CPU ns, bytes allocated}. */
    private static Map<Long, long[]> agentThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<Long, long[]> out = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(AGENT_THREADS)) {
                long id = thread.getId();
                out.put(id, new long[] {threads.getThreadCpuTime(id), threads.getThreadAllocatedBytes(id)});
            }
        }
        return out;
    }

    private static String threadName(long id) {
        java.lang.management.ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(id);
        return info == null ? null : info.getThreadName();
    }
}
