package ai.wandb.agent.instrumentation.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.testing.AgentHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.servlet.ServletException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** javax.servlet's HttpServlet woven in this JVM; the smoke test runs jakarta.servlet on embedded Jetty. */
class HttpServletInstrumentationTest {
  private static AgentHarness agent;

  @BeforeAll
  static void install() {
    agent = AgentHarness.install(Modules.all());
  }

  @Test
  void aRequestThatCallsTheModelTwiceIsOneTraceRootedInTheRequest() throws Exception {
    new AskServlet().service(Requests.request("POST", "/ask", null), Requests.response());

    Span root = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("POST /ask", root.name());
    assertEquals(SpanKind.CHAIN, root.kind());
    assertEquals(2, root.children().size());
    assertEquals(SpanKind.LLM, root.children().get(0).kind());
    assertEquals("POST", root.attributes().get("http.request.method"));
    assertEquals("/ask", root.attributes().get("http.route"));
    assertEquals(201, root.attributes().get("http.response.status_code"));
    assertEquals(Map.of("method", "POST", "path", "/ask"), root.inputs());
  }

  @Test
  void aRequestWithoutGenAiWorkLeavesNoTrace() throws Exception {
    new AskServlet().service(Requests.request("GET", "/health", null), Requests.response());

    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void anInboundTraceparentGivesTheTraceItsIdAndParent() throws Exception {
    new AskServlet().service(
        Requests.request("POST", "/ask", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        Requests.response());

    Span root = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", root.traceId());
    assertEquals("00f067aa0ba902b7", root.remoteParentId());
    assertEquals(List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        root.attributes().get("http.request.header.traceparent"));
  }

  @Test
  void aNestedDispatchStaysInsideTheOuterRequest() throws Exception {
    new AskServlet().service(Requests.request("GET", "/forward", null), Requests.response());

    Span root = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("GET /forward", root.name());
    assertEquals(2, root.children().size());
    assertEquals(SpanKind.LLM, root.children().get(0).kind());
  }

  @Test
  void whatTheServletThrowsStillReachesTheContainerAndAnUnexportedRequestStaysSilent() {
    ServletException thrown = assertThrows(ServletException.class,
        () -> new AskServlet().service(Requests.request("GET", "/fail", null), Requests.response()));
    assertEquals("broken", thrown.getMessage());
    assertTrue(agent.finishedTraces().isEmpty());
  }
}
