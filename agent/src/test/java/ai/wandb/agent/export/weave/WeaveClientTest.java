package ai.wandb.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WeaveClientTest {
  private final WandbTestServer server = WandbTestServer.start().requireExistingProjects(false);
  private final WeaveClient client = new WeaveClient(
      new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test", millis -> { }, 5000),
      server.traceUrl());

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aBatchTooLargeForTheServerIsHalvedUntilItFits() throws Exception {
    server.weaveBodyLimit(1200);
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      items.add(startItem(i));
    }

    client.upsertBatch(encoded(items));

    assertEquals(4, server.calls().size());
    assertTrue(server.exchanges().stream().anyMatch(exchange -> exchange.status() == 413));
    assertEquals(0, client.dropped());
  }

  @Test
  void theCallsCompleteAnswerIsThrownSoTheSinkCanSwitch() {
    server.requireCallsComplete();
    assertThrows(WeaveClient.CompleteModeRequired.class, () -> client.upsertBatch(encoded(List.of(startItem(0)))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRefusedBatchIsDroppedAndCounted() throws Exception {
    Map<String, Object> item = startItem(0);
    ((Map<String, Object>) ((Map<?, ?>) item.get("req")).get("start")).remove("started_at");
    client.upsertBatch(encoded(List.of(item)));
    assertEquals(1, client.dropped());
    assertEquals(1, server.exchanges().size());
  }

  private static List<byte[]> encoded(List<Map<String, Object>> items) {
    List<byte[]> out = new ArrayList<>();
    for (Map<String, Object> item : items) {
      out.add(WeaveClient.utf8(Json.write(item)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> startItem(int i) {
    Map<String, Object> start = new LinkedHashMap<>();
    start.put("project_id", "e/p");
    start.put("id", WeaveIds.uuid7(1748779200000L + i, i, 42));
    start.put("trace_id", WeaveIds.uuid7(1748779200000L, 0, 7));
    start.put("op_name", "op");
    start.put("started_at", "2025-06-01T12:00:00.000000Z");
    start.put("attributes", Map.of());
    start.put("inputs", Map.of("text", "x".repeat(300)));
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("start", start);
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("mode", "start");
    item.put("req", req);
    return item;
  }
}
