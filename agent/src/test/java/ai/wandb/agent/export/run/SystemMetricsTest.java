package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys wandb-core's monitor writes, from a /proc and a cgroup as Linux lays them out. */
class SystemMetricsTest {
  @TempDir
  Path dir;

  private Path proc() throws Exception {
    Path proc = dir.resolve("proc");
    Files.createDirectories(proc.resolve("self"));
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("meminfo"), "MemTotal:        8000000 kB\nMemFree:   1000000 kB\nMemAvailable:    6000000 kB\n");
    Files.writeString(proc.resolve("self/status"), "Name:\tjava\nVmRSS:\t  400000 kB\nThreads:\t20\n");
    net(proc, 1000, 2000);
    return proc;
  }

  private static void net(Path proc, long received, long sent) throws Exception {
    Files.writeString(proc.resolve("net/dev"), "Inter-|   Receive                            |  Transmit\n"
        + " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
        + "    lo: " + received + " 10 0 0 0 0 0 0 " + sent + " 10 0 0 0 0 0 0\n"
        + "  eth0: 500 5 0 0 0 0 0 0 700 7 0 0 0 0 0 0\n");
  }

  @Test
  void hostMemoryProcessMemoryAndNetworkSinceTheFirstSample() throws Exception {
    Path proc = proc();
    SystemMetrics metrics = new SystemMetrics(proc, dir.resolve("no-cgroup"), dir.toString());
    Map<String, Object> first = metrics.sample(0, 0);
    assertEquals(25.0, first.get("system.memory_percent"));
    assertEquals(390.63, first.get("system.proc.memory.rssMB"));
    assertEquals(5.0, first.get("system.proc.memory.percent"));
    assertEquals(0L, first.get("system.network.sent"));
    assertTrue(first.containsKey("system.cpu") && first.containsKey("system.proc.cpu.threads"), first.toString());
    assertTrue(first.containsKey("system.disk." + dir + ".usagePercent"), first.toString());
    assertTrue(first.containsKey("system.jvm.heap.usedMB"));

    net(proc, 1500, 2900);
    Map<String, Object> second = metrics.sample(0, 0);
    assertEquals(900L, second.get("system.network.sent"));
    assertEquals(500L, second.get("system.network.recv"));
  }

  @Test
  void aCgroupLimitIsTheMemoryThatCounts() throws Exception {
    Path cgroup = dir.resolve("cgroup");
    Files.createDirectories(cgroup);
    Files.writeString(cgroup.resolve("memory.max"), "1024000000\n");
    Files.writeString(cgroup.resolve("memory.current"), "512000000\n");
    Map<String, Object> row = new SystemMetrics(proc(), cgroup, dir.toString()).sample(0, 0);
    assertEquals(50.0, row.get("system.memory_percent"));
    assertEquals(40.0, row.get("system.proc.memory.percent"));
  }

  @Test
  void whatThePlatformCannotGiveIsLeftOut() {
    Map<String, Object> row = new SystemMetrics(dir.resolve("absent"), dir.resolve("absent"), dir.toString()).sample(0, 0);
    assertFalse(row.containsKey("system.proc.memory.rssMB"));
    assertFalse(row.containsKey("system.network.sent"));
    assertTrue(row.containsKey("system.proc.cpu.threads"));
  }
}
