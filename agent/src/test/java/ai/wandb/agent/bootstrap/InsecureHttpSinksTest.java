package ai.wandb.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.export.FileSink;
import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.Sink;
import ai.wandb.agent.export.run.RunSink;
import ai.wandb.agent.export.weave.WeaveSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API key goes over plain http to loopback only, unless wandb.allow_insecure_http says otherwise. */
class InsecureHttpSinksTest {
  @TempDir Path home;

  @Test
  void plainHttpOffLoopbackStartsNoWandbSinkAndSaysSoInOneLine() throws Exception {
    Created created = create("http://10.1.2.3:8080", null);
    assertEquals(1, created.sinks.size());
    assertTrue(created.sinks.get(0) instanceof FileSink);
    String[] lines = created.log.trim().split("\\R");
    assertEquals(1, lines.length, created.log);
    assertTrue(lines[0].contains("plain http to http://10.1.2.3:8080")
        && lines[0].contains("wandb.allow_insecure_http=true"), lines[0]);
  }

  @Test
  void aDerivedTraceServerOffLoopbackIsRefusedToo() throws Exception {
    Created created = create("https://api.wandb.ai", "http://traces.example.com");
    assertEquals(1, created.sinks.size());
    assertTrue(created.log.contains("http://traces.example.com"), created.log);
  }

  @Test
  void loopbackHttpStartsTheWandbSinks() throws Exception {
    Created created = create("http://127.0.0.1:9", null);
    assertTrue(created.sinks.stream().anyMatch(s -> s instanceof WeaveSink), created.log);
    assertTrue(created.sinks.stream().anyMatch(s -> s instanceof RunSink), created.log);
    assertEquals("", created.log);
  }

  @Test
  void theKeyAllowsPlainHttpOffLoopback() throws Exception {
    Created created = create("http://10.1.2.3:8080", null, "wandb.allow_insecure_http", "true");
    assertTrue(created.sinks.stream().anyMatch(s -> s instanceof WeaveSink), created.log);
    assertEquals("", created.log);
  }

  private Created create(String baseUrl, String traceServer, String... sysprops) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("WANDB_API_KEY", "k".repeat(40));
    env.put("WANDB_BASE_URL", baseUrl);
    env.put("WANDB_DIR", home.toString());
    env.put("WANDB_EXPORTERS", "weave,run");
    if (traceServer != null) {
      env.put("WF_TRACE_SERVER_URL", traceServer);
    }
    Properties properties = new Properties();
    properties.setProperty("user.dir", home.toString());
    for (int i = 0; i < sysprops.length; i += 2) {
      properties.setProperty(sysprops[i], sysprops[i + 1]);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AgentLog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      AgentConfig config = AgentConfig.load("", env, properties, home);
      List<Sink> sinks = Sinks.create(config, new RunInfo("abc12345", "demo"), () -> 0);
      for (Sink sink : sinks) {
        sink.close(0);
      }
      return new Created(sinks, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      AgentLog.setOutput(null);
    }
  }

  private record Created(List<Sink> sinks, String log) {}
}
