package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP example under the real agent jar: an order-desk server JVM and an assistant client JVM, both with
 * {@code -javaagent}, over streamable HTTP (responses as SSE streams); the server's span of each request is the child of the client's (same
 * trace id, the client's span as its parent), with arguments, results and errors; the output is what it is
 * without the agent. Over stdio the server is the client's child process, which the agent leaves alone.
 */
class McpAssistantSmokeTest {
  private static final Path MCP_ASSISTANT = JavaProcess.EXAMPLES.resolve("mcp-assistant/target/mcp-assistant.jar");
  private static final Pattern LISTENING = Pattern.compile("order desk listening on (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void overHttpTheServersSpansAreTheChildrenOfTheClientsAcrossTwoJvms(@TempDir Path serverDir,
      @TempDir Path clientDir, @TempDir Path plainDir) throws Exception {
    JavaProcess.Result plain = askDesk(java(), java().in(plainDir))[0];
    JavaProcess.Result[] traced = askDesk(java().withAgent(null).in(serverDir), java().withAgent(null).in(clientDir));

    assertEquals(0, traced[0].exitCode(), traced[0].stdout() + traced[0].stderr());
    assertEquals(plain.stdout(), traced[0].stdout());
    assertEquals(plain.appStderr(), traced[0].appStderr());
    assertEquals("", traced[1].appStderr(), "the server's own stderr");
    assertTrue(traced[0].stdout().contains("refund Z-9 -> refused: no such order: Z-9"), traced[0].stdout());

    List<Map<String, Object>> client = TraceFiles.readTraces(TraceFiles.tracesDir(clientDir));
    List<Map<String, Object>> server = TraceFiles.readTraces(TraceFiles.tracesDir(serverDir));
    assertEquals(6, client.size(), traced[0].stderr());
    assertEquals(6, server.size(), traced[1].stderr());
    for (Map<String, Object> clientSpan : client) {
      Map<String, Object> serverSpan = server.stream()
          .filter(span -> clientSpan.get("span_id").equals(attributes(span).get("otel.parent_span_id")))
          .findFirst().orElseThrow(() -> new AssertionError("no server span under " + clientSpan.get("name")));
      assertEquals(clientSpan.get("trace_id"), serverSpan.get("trace_id"));
      assertEquals(clientSpan.get("name"), serverSpan.get("name"));
      assertNull(serverSpan.get("parent_id"), "a root in the server's files, continuing the client's span");
      assertEquals(object(clientSpan.get("inputs")).get("arguments"), object(serverSpan.get("inputs")).get("arguments"));
      assertEquals(clientSpan.get("status"), serverSpan.get("status"), String.valueOf(clientSpan.get("name")));
    }

    Map<String, Object> lookup = byNameAndOrder(client, "mcp.tools/call lookup_order", "A-1001");
    assertEquals("TOOL", lookup.get("kind"));
    assertEquals("OK", lookup.get("status"));
    assertEquals("A-1001: shipped on 2 Dec, arrives 4 Dec", text(lookup));
    assertEquals("order-desk", attributes(lookup).get("mcp.server.name"));
    assertEquals("lookup_order", attributes(lookup).get("gen_ai.tool.name"));
    assertEquals("A-1001: shipped on 2 Dec, arrives 4 Dec", text(byNameAndOrder(server, "mcp.tools/call lookup_order", "A-1001")));

    Map<String, Object> refused = byNameAndOrder(server, "mcp.tools/call refund", "Z-9");
    assertEquals("ERROR", refused.get("status"));
    assertEquals("no such order: Z-9", object(refused.get("error")).get("message"));
    assertEquals("no such order: Z-9", object(byNameAndOrder(client, "mcp.tools/call refund", "Z-9").get("error")).get("message"));
    Map<String, Object> failed = byNameAndOrder(server, "mcp.tools/call refund", "A-1001");
    assertEquals(IllegalStateException.class.getName(), object(failed.get("error")).get("type"));
    assertEquals("order A-1001 has shipped: refunds start when it comes back", object(failed.get("error")).get("message"));
  }

  @Test
  void overStdioTheServerIsTheClientsChildProcessAndRunsWithoutTheAgent(@TempDir Path dir, @TempDir Path plainDir)
      throws Exception {
    JavaProcess.Result plain = java().in(plainDir).runJar(MCP_ASSISTANT);
    JavaProcess.Result traced = java().withAgent(null).in(dir).runJar(MCP_ASSISTANT);

    assertEquals(0, traced.exitCode(), traced.stdout() + traced.stderr());
    assertEquals(plain.stdout(), traced.stdout());
    assertEquals(plain.appStderr(), traced.appStderr());
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    // A child with the agent would write its own server spans into the same working directory.
    assertEquals(6, traces.size(), traced.stderr());
    for (Map<String, Object> span : traces) {
      assertNull(attributes(span).get("otel.parent_span_id"), "no server span: " + span.get("name"));
    }
    assertEquals(1, traced.agentLines().stream().filter(line -> line.contains("exported")).count(), traced.stderr());
  }

  /** The order desk started and asked once; returns the client's result, then the server's. */
  private static JavaProcess.Result[] askDesk(JavaProcess serverJvm, JavaProcess clientJvm) throws Exception {
    JavaProcess.Running server = serverJvm.startJar(MCP_ASSISTANT, "serve", "0");
    try {
      String url = awaitUrl(server);
      JavaProcess.Result client = clientJvm.runJar(MCP_ASSISTANT, "ask", url);
      server.closeInput();
      return new JavaProcess.Result[] {client, server.await(60)};
    } finally {
      server.process().destroyForcibly();
    }
  }

  private static String awaitUrl(JavaProcess.Running server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && server.process().isAlive()) {
      Matcher matcher = LISTENING.matcher(Files.readString(server.out(), StandardCharsets.UTF_8));
      if (matcher.find()) {
        return matcher.group(1);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the order desk did not start: " + Files.readString(server.err(), StandardCharsets.UTF_8));
  }

  private static Map<String, Object> byNameAndOrder(List<Map<String, Object>> spans, String name, String order) {
    return spans.stream().filter(span -> name.equals(span.get("name"))
            && order.equals(object(object(span.get("inputs")).get("arguments")).get("order_id")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + " for " + order + " in " + spans));
  }

  private static Map<String, Object> attributes(Map<String, Object> span) {
    return object(span.get("attributes"));
  }

  private static String text(Map<String, Object> span) {
    return String.valueOf(object(list(object(span.get("outputs")).get("content")).get(0)).get("text"));
  }
}
