package ai.wandb.agent.testing.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WandbTestServerTest {
  private static final String AUTH = "Basic " + Base64.getEncoder()
      .encodeToString(("api:" + WandbTestServer.API_KEY).getBytes(StandardCharsets.UTF_8));
  private static final String START = "{\"project_id\":\"test-entity/p\",\"id\":\"0197a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b\","
      + "\"trace_id\":\"0197a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b\",\"op_name\":\"op\",\"started_at\":\"2025-06-01T12:00:00.123Z\","
      + "\"attributes\":{},\"inputs\":{}}";
  private static final String UPSERT = "{\"operationName\":\"UpsertBucket\",\"query\":\"mutation UpsertBucket($name: String,"
      + " $project: String, $entity: String, $config: JSONString) { upsertBucket(input: {name: $name, modelName: $project,"
      + " entityName: $entity, config: $config}) { bucket { id name project { name entity { name } } historyLineCount } inserted } }\","
      + "\"variables\":{\"name\":\"abc12345\",\"project\":\"p\",\"entity\":null,"
      + "\"config\":\"{\\\"_wandb\\\":{\\\"value\\\":{\\\"t\\\":{},\\\"m\\\":[]}}}\"}}";

  private final WandbTestServer server = WandbTestServer.start();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String url, String auth, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void requestsWithoutBasicAuthOfUserApiAndTheKeyGet401() throws Exception {
    assertEquals(401, post(server.apiUrl() + "/graphql", null, UPSERT).statusCode());
    String wrongUser = "Basic " + Base64.getEncoder().encodeToString(("user:" + WandbTestServer.API_KEY).getBytes());
    assertEquals(401, post(server.traceUrl() + "/call/upsert_batch", wrongUser, "{\"batch\":[]}").statusCode());
  }

  @Test
  void upsertBucketWithANullEntityCreatesTheRunUnderTheViewersEntityOnce() throws Exception {
    HttpResponse<String> first = post(server.apiUrl() + "/graphql", AUTH, UPSERT);
    HttpResponse<String> second = post(server.apiUrl() + "/graphql", AUTH, UPSERT);

    assertEquals(200, first.statusCode(), first.body());
    assertTrue(first.body().contains("\"inserted\":true") && second.body().contains("\"inserted\":false"));
    assertEquals(1, server.runs().size());
    assertEquals("test-entity", server.runs().get(0).entity());
    assertEquals(2, server.runs().get(0).upsertCount());
  }

  @Test
  void anUndeclaredGraphqlVariableIsAnError() throws Exception {
    HttpResponse<String> response = post(server.apiUrl() + "/graphql", AUTH,
        UPSERT.replace("\"entity\":null", "\"entity\":null,\"colour\":\"red\""));
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("\"errors\""), response.body());
  }

  @Test
  void fileStreamRefusesAGapInHistoryOffsetsAndWritesAfterComplete() throws Exception {
    post(server.apiUrl() + "/graphql", AUTH, UPSERT);
    String url = server.apiUrl() + "/files/test-entity/p/abc12345/file_stream";
    String row = "\"{\\\"_step\\\":0,\\\"_runtime\\\":1.0,\\\"_timestamp\\\":1.0}\"";

    assertEquals(400, post(url, AUTH, "{\"files\":{\"wandb-history.jsonl\":{\"offset\":1,\"content\":[" + row + "]}}}").statusCode());
    assertEquals(200, post(url, AUTH, "{\"files\":{\"wandb-history.jsonl\":{\"offset\":0,\"content\":[" + row + "]}}}").statusCode());
    assertEquals(400, post(url, AUTH, "{\"exitcode\":0}").statusCode());
    assertEquals(200, post(url, AUTH, "{\"complete\":true,\"exitcode\":3}").statusCode());
    assertEquals(400, post(url, AUTH, "{}").statusCode());
    assertEquals(3L, server.runs().get(0).exitCode());
    assertEquals(1, server.runs().get(0).history().size());
  }

  @Test
  void upsertBatchHasAStrictEnvelopeAndNeedsIdsOnBatchedStarts() throws Exception {
    server.requireExistingProjects(false);
    String url = server.traceUrl() + "/call/upsert_batch";
    String item = "{\"mode\":\"start\",\"req\":{\"start\":" + START + "}}";

    assertEquals(422, post(url, AUTH, "{\"batch\":[" + item + "],\"extra\":1}").statusCode());
    assertEquals(400, post(url, AUTH, "{\"batch\":[" + item.replace("\"id\":\"0197a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b\",", "") + "]}").statusCode());
    HttpResponse<String> ok = post(url, AUTH, "{\"batch\":[" + item + "]}");
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(1, server.calls().size());
  }

  @Test
  void weaveWritesIntoAProjectThatWasNeverCreatedAre404() throws Exception {
    HttpResponse<String> response = post(server.traceUrl() + "/call/start", AUTH, "{\"start\":" + START + "}");
    assertEquals(404, response.statusCode(), response.body());
  }

  @Test
  void theCallsCompleteSwitchAndInjectedFaultsAnswerAsConfigured() throws Exception {
    server.requireExistingProjects(false).requireCallsComplete()
        .failNext(WandbTestServer.Api.WEAVE, Fault.retryAfter(429, 7));

    HttpResponse<String> limited = post(server.traceUrl() + "/call/upsert_batch", AUTH, "{\"batch\":[]}");
    HttpResponse<String> switched = post(server.traceUrl() + "/call/upsert_batch", AUTH, "{\"batch\":[]}");

    assertEquals(429, limited.statusCode());
    assertEquals("7", limited.headers().firstValue("Retry-After").orElse(null));
    assertEquals(400, switched.statusCode());
    assertTrue(switched.body().contains("CALLS_COMPLETE_MODE_REQUIRED"));
  }

  @Test
  void opsAreContentAddressedAndOnlyTheirRefsCount() throws Exception {
    server.requireExistingProjects(false);
    String url = server.traceUrl() + "/v2/test-entity/p/ops";
    HttpResponse<String> first = post(url, AUTH, "{\"name\":\"agent.run\",\"source_code\":\"# x\"}");
    HttpResponse<String> again = post(url, AUTH, "{\"name\":\"agent.run\",\"source_code\":\"# x\"}");
    assertEquals(200, first.statusCode(), first.body());
    assertEquals(first.body(), again.body());
    String digest = ai.wandb.agent.api.Json.parseObject(first.body()).get("digest").toString();
    assertEquals(43, digest.length());
    assertTrue(server.isOpRef("weave:///test-entity/p/op/agent.run:" + digest));
    assertTrue(!server.isOpRef("weave:///test-entity/p/op/agent.run:other") && !server.isOpRef("agent.run"));
    assertEquals(400, post(url, AUTH, "{\"name\":\"a/b\"}").statusCode());
    assertEquals(422, post(url, AUTH, "{\"name\":\"a\",\"extra\":1}").statusCode());
  }

  @Test
  void aStartWithAMalformedRunLinkOrATurnWithoutAThreadIsRefused() throws Exception {
    server.requireExistingProjects(false);
    String start = START.substring(0, START.length() - 1);
    assertEquals(400, post(server.traceUrl() + "/call/start", AUTH, "{\"start\":" + start + ",\"wb_run_id\":\"run1\"}}")
        .statusCode());
    assertEquals(400, post(server.traceUrl() + "/call/start", AUTH, "{\"start\":" + start + ",\"turn_id\":\"x\"}}")
        .statusCode());
    assertEquals(200, post(server.traceUrl() + "/call/start", AUTH,
        "{\"start\":" + start + ",\"wb_run_id\":\"e/p/run1\",\"thread_id\":\"t\",\"turn_id\":\"x\"}}").statusCode());
  }

  @Test
  void aStoppedRunSaysSoInEveryFileStreamAnswer() throws Exception {
    post(server.apiUrl() + "/graphql", AUTH, UPSERT);
    server.runs().get(0).stop();
    String url = server.apiUrl() + "/files/test-entity/p/abc12345/file_stream";
    HttpResponse<String> answer = post(url, AUTH, "{}");
    assertEquals(200, answer.statusCode());
    assertTrue(answer.body().contains("\"stopped\":true"), answer.body());
    post(url, AUTH, "{}");
    assertEquals(1, server.runs().get(0).requestsAfterStop());
  }
}
