package ai.wandb.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.spool.Owners;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender's spliced {@code upsert_batch} items against the parsed way (the encoder the sender used
 * before: parse the spool line, add the project, the op ref and the run, write it again): the trace
 * server must receive the same bytes.
 */
class SpooledItemTest {
  private final WandbTestServer server = WandbTestServer.start().viewerEntity("team-e");

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theSplicedBatchIsTheBodyTheParsedEntriesGave() throws Exception {
    List<Map<String, Object>> entries = entries();
    List<byte[]> spliced = new ArrayList<>();
    List<byte[]> parsed = new ArrayList<>();
    List<Boolean> splices = new ArrayList<>();
    for (Map<String, Object> entry : entries) {
      byte[] line = utf8(entry);
      splices.add(SpooledItem.of(line) != null);
      spliced.add(line);
      byte[] olderLayout = utf8(olderLayout(entry));
      assertNull(SpooledItem.of(olderLayout), "req not last: parsed");
      parsed.add(olderLayout);
    }

    assertEquals(List.of(true, true, false, true), splices, "the worker's shape is spliced, but for an emoji");
    assertEquals(WeaveClient.Outcome.SENT, delivery().send(spliced));
    assertEquals(WeaveClient.Outcome.SENT, delivery().send(parsed));

    List<String> bodies = server.exchanges().stream().filter(e -> e.path().endsWith("/call/upsert_batch"))
        .map(WandbTestServer.Exchange::body).collect(Collectors.toList());
    assertEquals(2, bodies.size());
    assertEquals(bodies.get(1), bodies.get(0));
    assertTrue(bodies.get(0).contains("\"wb_run_id\":\"team-e/splice/run \\\"7\\\"\""), bodies.get(0));
    assertTrue(bodies.get(0).contains("\"op_name\":\"weave:///team-e/splice/op/"), bodies.get(0));
    assertEquals(2, server.calls().size());
  }

  @Test
  void aLineOfAnotherShapeIsNotSpliced() {
    assertNull(SpooledItem.of(ascii("{\"mode\":\"start\",\"req\":{\"start\":{\"id\":\"a\"}}}")), "no op name");
    assertNull(SpooledItem.of(ascii("{\"mode\":\"start\",\"req\":{\"start\":{\"id\":\"a\",\"op_name\":\"a\\\"b\"}}}")),
        "an op name with an escape");
    assertNull(SpooledItem.of(ascii("{\"mode\":\"end\",\"req\":{\"end\":{\"id\":\"a\",\"output\":\"}}}\"")), "torn");
    assertNull(SpooledItem.of(ascii("{\"mode\":\"end\",\"req\":{\"end\":{\"id\":\"a\"}},\"x\":1}")), "req not last");
    assertNull(SpooledItem.of(ascii("{\"mode\":\"call\",\"req\":{\"call\":{}}}")), "another mode");
    assertNotNull(SpooledItem.of(ascii("{\"mode\":\"end\",\"req\":{\"end\":{\"id\":\"a\",\"output\":\"}}}\"}}}")));
  }

  private WeaveDelivery delivery() {
    WandbHttp http = new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test", millis -> { }, 5000);
    WandbSession session = new WandbSession(http, server.apiUrl(), server.traceUrl(), "splice", null);
    Spool spool = new Spool(dir.resolve("weave"), 1 << 20);
    return new WeaveDelivery(session, new WeaveClient(http, server.traceUrl()), spool, new Owners(spool.dir()));
  }

  /**
   * Two calls as the worker spools them, with what JSON must escape in their names and values; the
   * second start's prompt has a character beyond U+FFFF.
   */
  private static List<Map<String, Object>> entries() {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = WeaveIds.uuid7(1748779200000L + i, i, 42);
      Map<String, Object> start = new LinkedHashMap<>();
      start.put("id", id);
      start.put("op_name", i == 0 ? "openai.chat.completions.create" : "agent:plan ünïcode");
      start.put("display_name", "chat \"quoted\" \\ back\nslash");
      start.put("trace_id", WeaveIds.uuid7(1748779200000L, 0, 7));
      start.put("parent_id", null);
      start.put("started_at", "2025-06-01T12:00:00.000000Z");
      start.put("attributes", Map.of("weave", Map.of("kind", "llm"), "gen_ai.request.temperature", 0.7));
      start.put("inputs", Map.of("messages", List.of(Map.of("role", "user", "content", "{\"a\": [1, 2]} é \u0001" + (i == 0 ? "" : " 😀")))));
      start.put("wb_run_step", 3L);
      Map<String, Object> agentKeys = new LinkedHashMap<>();
      agentKeys.put(WeaveDelivery.OWNER, "owner-1");
      if (i == 0) {
        agentKeys.put(WeaveDelivery.RUN, "run \"7\"");
      }
      entries.add(WeaveDelivery.entry("start", agentKeys, start));
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("id", id);
      end.put("ended_at", "2025-06-01T12:00:01.000000Z");
      end.put("exception", null);
      end.put("output", Arrays.asList("}", "]", "\\\"", 1e-7, Long.MAX_VALUE));
      end.put("summary", Map.of());
      entries.add(WeaveDelivery.entry("end", Map.of(WeaveDelivery.STARTED_AT, "2025-06-01T12:00:00.000000Z"), end));
    }
    return entries;
  }

  /** The layout of earlier versions: {@code mode}, {@code req}, then the agent's own keys. */
  private static Map<String, Object> olderLayout(Map<String, Object> entry) {
    Map<String, Object> older = new LinkedHashMap<>();
    older.put("mode", entry.get("mode"));
    older.put("req", entry.get("req"));
    entry.forEach((key, value) -> older.putIfAbsent(key, value));
    return older;
  }

  private static byte[] utf8(Map<String, Object> entry) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Json.writeUtf8(entry, out);
    return out.toByteArray();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
