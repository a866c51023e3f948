package ai.wandb.agent.export.run;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample of the JVM for {@code wandb-events.jsonl} (W&B's system metrics): process CPU, heap,
 * GC time and count, threads, and the bytes the traced model calls exchanged so far.
 */
public final class SystemMetrics {
  private final int processors = Runtime.getRuntime().availableProcessors();
  private long lastCpuNanos = -1;
  private long lastWallNanos;

  /** The {@code system.*} keys of one row; {@code _timestamp}, {@code _runtime} are added by the caller. */
  public Map<String, Object> sample(long bytesSent, long bytesReceived) {
    Map<String, Object> row = new LinkedHashMap<String, Object>();
    double cpu = cpuPercent();
    if (cpu >= 0) {
      row.put("system.proc.cpu.percent", round(cpu));
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    row.put("system.jvm.heap.usedMB", round(heap.getUsed() / 1048576.0));
    row.put("system.jvm.heap.committedMB", round(heap.getCommitted() / 1048576.0));
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
      gcCount += Math.max(0, gc.getCollectionCount());
    }
    row.put("system.jvm.gc.timeMs", gcMillis);
    row.put("system.jvm.gc.count", gcCount);
    row.put("system.proc.cpu.threads", ManagementFactory.getThreadMXBean().getThreadCount());
    row.put("system.llm.sentBytes", bytesSent);
    row.put("system.llm.recvBytes", bytesReceived);
    return row;
  }

  /** Process CPU since the previous sample (since JVM start for the first), as a share of all cores. */
  private double cpuPercent() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.OperatingSystemMXBean)) {
      return -1;
    }
    long cpu = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    long wall = System.nanoTime();
    if (cpu < 0) {
      return -1;
    }
    double percent = -1;
    if (lastCpuNanos >= 0 && wall > lastWallNanos) {
      percent = 100.0 * (cpu - lastCpuNanos) / (double) (wall - lastWallNanos) / processors;
    } else {
      long uptimeNanos = ManagementFactory.getRuntimeMXBean().getUptime() * 1000000L;
      percent = uptimeNanos > 0 ? 100.0 * cpu / uptimeNanos / processors : -1;
    }
    lastCpuNanos = cpu;
    lastWallNanos = wall;
    return percent;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
