package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.export.http.UrlConnectionTransport;
import ai.wandb.agent.export.http.WandbHttp;
import ai.wandb.agent.export.wandb.GraphqlClient;
import ai.wandb.agent.export.wandb.WandbUrls;
import ai.wandb.agent.testing.wandb.Fault;
import ai.wandb.agent.testing.wandb.WandbTestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileStreamTest {
  private final WandbTestServer server = WandbTestServer.start();
  private final WandbHttp http = new WandbHttp(new UrlConnectionTransport(), WandbTestServer.API_KEY, "test",
      millis -> { }, 5000);
  private FileStream stream;

  @BeforeEach
  void createRun() throws Exception {
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("name", "fs123456");
    variables.put("project", "p");
    variables.put("config", "{\"_wandb\":{\"value\":{\"t\":{},\"m\":[]}}}");
    new GraphqlClient(http, server.apiUrl(), 1).upsertBucket(variables);
    stream = new FileStream(http, WandbUrls.fileStreamUrl(server.apiUrl(), "test-entity", "p", "fs123456"), 0, 1);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void linesAFailedRequestCarriedAreSentAgainAtTheSameOffsets() {
    server.failNext(WandbTestServer.Api.FILE_STREAM, Fault.status(500));
    stream.history(FileStream.element(row(0), FileStream.HISTORY));
    assertFalse(stream.flush());

    stream.history(FileStream.element(row(1), FileStream.HISTORY));
    assertTrue(stream.flush());
    stream.history(FileStream.element(row(2), FileStream.HISTORY));
    stream.summary(FileStream.element(Map.of("_step", 2), FileStream.SUMMARY));
    assertTrue(stream.finish(3));

    List<Map<String, Object>> history = server.runs().get(0).history();
    assertEquals(List.of(0, 1, 2), history.stream().map(line -> ((Number) line.get("_step")).intValue()).toList());
    assertEquals(2, ((Number) server.runs().get(0).summary().get("_step")).intValue());
    assertEquals(3L, server.runs().get(0).exitCode());
  }

  @Test
  void aRequestTheServerFindsTooLargeIsSentAgainInSmallerRequestsAtTheSameOffsets() {
    server.failNext(WandbTestServer.Api.FILE_STREAM, Fault.status(413));
    for (int i = 0; i < 4; i++) {
      stream.history(FileStream.element(row(i), FileStream.HISTORY));
    }
    assertTrue(stream.flush());
    assertTrue(stream.finish(0));

    List<Map<String, Object>> history = server.runs().get(0).history();
    assertEquals(List.of(0, 1, 2, 3), history.stream().map(line -> ((Number) line.get("_step")).intValue()).toList());
    assertFalse(stream.dead());
  }

  @Test
  void aFinalRefusalStopsTheStream() {
    server.failNext(WandbTestServer.Api.FILE_STREAM, Fault.status(404));
    stream.history(FileStream.element(row(0), FileStream.HISTORY));
    assertFalse(stream.flush());
    assertTrue(stream.dead());
    assertFalse(stream.flush());
    assertEquals(1, server.exchanges().stream().filter(e -> e.path().endsWith("file_stream")).count());
  }

  private static Map<String, Object> row(int step) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_step", step);
    row.put("_runtime", 1.5);
    row.put("_timestamp", 1718000001.2);
    return row;
  }
}
