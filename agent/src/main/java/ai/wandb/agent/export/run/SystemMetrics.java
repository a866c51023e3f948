package ai.wandb.agent.export.run;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sample for {@code wandb-events.jsonl}. First the keys wandb-core's system monitor writes, which
 * fill the run's standard System charts ({@code system.cpu}, {@code system.proc.memory.*},
 * {@code system.memory_percent}, {@code system.proc.cpu.threads}, {@code system.network.*},
 * {@code system.disk.*}), read on Linux from {@code /proc} and {@code /sys/fs/cgroup} and elsewhere from
 * JMX, each left out where the platform cannot give it; then the JVM's own ({@code system.jvm.*}) and
 * the bytes the traced model calls exchanged ({@code system.llm.*}). Sender thread only; a sample reads a
 * few small files.
 */
public final class SystemMetrics {
  private static final double MB = 1024.0 * 1024.0;
  private static final double GB = MB * 1024.0;
  private static final int SECTOR_BYTES = 512;

  private final int processors = Runtime.getRuntime().availableProcessors();
  private final Path proc;
  private final Path cgroup;
  private final String diskPath;
  private long lastCpuNanos = -1;
  private long lastWallNanos;
  private long[] firstNetwork;
  private Map<String, long[]> firstDisk;

  public SystemMetrics() {
    this(Paths.get("/proc"), Paths.get("/sys/fs/cgroup"), File.listRoots().length > 0 ? File.listRoots()[0].getPath() : "/");
  }

  SystemMetrics(Path proc, Path cgroup, String diskPath) {
    this.proc = proc;
    this.cgroup = cgroup;
    this.diskPath = diskPath;
  }

  /** The {@code system.*} keys of one row; {@code _timestamp}, {@code _runtime} are added by the caller. */
  public Map<String, Object> sample(long bytesSent, long bytesReceived) {
    Map<String, Object> row = new LinkedHashMap<String, Object>();
    double cpu = cpuPercent();
    if (cpu >= 0) {
      row.put("system.cpu", round(cpu));
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long hostTotal = -1;
    long hostFree = -1;
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      hostTotal = ((com.sun.management.OperatingSystemMXBean) os).getTotalPhysicalMemorySize();
      hostFree = ((com.sun.management.OperatingSystemMXBean) os).getFreePhysicalMemorySize();
    }
    Map<String, Long> meminfo = keyedKb(proc.resolve("meminfo"));
    if (meminfo.containsKey("MemTotal") && meminfo.containsKey("MemAvailable")) {
      hostTotal = meminfo.get("MemTotal");
      hostFree = meminfo.get("MemAvailable");
    }
    long limit = cgroupLimit();
    Long vmRss = keyedKb(proc.resolve("self/status")).get("VmRSS");
    long rss = vmRss == null ? -1 : vmRss;
    if (rss >= 0) {
      row.put("system.proc.memory.rssMB", round(rss / MB));
      long total = limit > 0 ? limit : hostTotal;
      if (total > 0) {
        row.put("system.proc.memory.percent", round(100.0 * rss / total));
      }
    }
    long cgroupUsed = limit > 0 ? number(cgroup.resolve("memory.current")) : -1;
    if (limit > 0 && cgroupUsed >= 0) {
      row.put("system.memory_percent", round(100.0 * cgroupUsed / limit));
    } else if (hostTotal > 0 && hostFree >= 0) {
      row.put("system.memory_percent", round(100.0 * (hostTotal - hostFree) / hostTotal));
    }
    row.put("system.proc.cpu.threads", ManagementFactory.getThreadMXBean().getThreadCount());
    long[] network = network();
    if (network != null) {
      if (firstNetwork == null) {
        firstNetwork = network;
      }
      row.put("system.network.sent", network[1] - firstNetwork[1]);
      row.put("system.network.recv", network[0] - firstNetwork[0]);
    }
    disk(row);
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    row.put("system.jvm.heap.usedMB", round(heap.getUsed() / MB));
    row.put("system.jvm.heap.committedMB", round(heap.getCommitted() / MB));
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
      gcCount += Math.max(0, gc.getCollectionCount());
    }
    row.put("system.jvm.gc.timeMs", gcMillis);
    row.put("system.jvm.gc.count", gcCount);
    row.put("system.llm.sentBytes", bytesSent);
    row.put("system.llm.recvBytes", bytesReceived);
    return row;
  }

  /** Usage of the root file system (as wandb-core's default disk path), and the block devices' I/O since the first sample. */
  private void disk(Map<String, Object> row) {
    File root = new File(diskPath);
    long total = root.getTotalSpace();
    long free = root.getUsableSpace();
    long used = total - root.getFreeSpace();
    if (total > 0 && used + free > 0) {
      row.put("system.disk." + diskPath + ".usagePercent", round(100.0 * used / (used + free)));
      row.put("system.disk." + diskPath + ".usageGB", round(used / GB));
    }
    Map<String, long[]> io = diskIo();
    if (firstDisk == null) {
      firstDisk = io;
    }
    for (Map.Entry<String, long[]> device : io.entrySet()) {
      long[] first = firstDisk.get(device.getKey());
      if (first != null) {
        row.put("system.disk." + device.getKey() + ".in", round((device.getValue()[0] - first[0]) * SECTOR_BYTES / MB));
        row.put("system.disk." + device.getKey() + ".out", round((device.getValue()[1] - first[1]) * SECTOR_BYTES / MB));
      }
    }
  }

  /** Sectors read and written per whole block device ({@code /proc/diskstats}, those listed in {@code /sys/block}). */
  private Map<String, long[]> diskIo() {
    Map<String, long[]> out = new LinkedHashMap<String, long[]>();
    for (String line : lines(proc.resolve("diskstats"))) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 10) {
        continue;
      }
      String name = fields[2];
      if (name.startsWith("loop") || name.startsWith("ram") || !Files.isDirectory(Paths.get("/sys/block", name))) {
        continue;
      }
      try {
        out.put(name, new long[] {Long.parseLong(fields[5]), Long.parseLong(fields[9])});
      } catch (NumberFormatException e) {
        // not a stats line
      }
    }
    return out;
  }

  /** Host bytes received and sent over every interface ({@code /proc/net/dev}), or null off Linux. */
  private long[] network() {
    List<String> lines = lines(proc.resolve("net/dev"));
    if (lines.isEmpty()) {
      return null;
    }
    long received = 0;
    long sent = 0;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] fields = line.substring(colon + 1).trim().split("\\s+");
      if (fields.length < 9) {
        continue;
      }
      try {
        received += Long.parseLong(fields[0]);
        sent += Long.parseLong(fields[8]);
      } catch (NumberFormatException e) {
        // a header line
      }
    }
    return new long[] {received, sent};
  }

  /** The cgroup v2 memory limit in bytes, or -1 when none applies. */
  private long cgroupLimit() {
    return number(cgroup.resolve("memory.max"));
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

  /** {@code Key: <n> kB} lines in bytes (meminfo, status). */
  private static Map<String, Long> keyedKb(Path file) {
    Map<String, Long> out = new LinkedHashMap<String, Long>();
    for (String line : lines(file)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] value = line.substring(colon + 1).trim().split("\\s+");
      try {
        long number = Long.parseLong(value[0]);
        out.put(line.substring(0, colon), value.length > 1 && value[1].equalsIgnoreCase("kB") ? number * 1024 : number);
      } catch (NumberFormatException e) {
        // not a number
      }
    }
    return out;
  }

  /** A file holding one number; -1 when absent, unreadable or {@code max}. */
  private static long number(Path file) {
    List<String> lines = lines(file);
    if (lines.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return java.util.Collections.emptyList();
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
