package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import dev.langchain4j.agentic.supervisor.PlannerAgent;
import dev.langchain4j.service.memory.ChatMemoryAccess;
import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which AI-service calls get their own span, by where the interface is declared and what span is current. */
class AgenticSpansTest {
  private static final SpanRenderer NONE = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {}

    @Override
    public void renderEnd(Span span) {}
  };

  interface Translator {
    String translate(String text);

    String summarize(String text);
  }

  private Span open;

  @AfterEach
  void tearDown() {
    Tracer.end(open, null, null);
  }

  private static Method method(Class<?> type, String name) {
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name)) {
        return method;
      }
    }
    throw new AssertionError(name);
  }

  private void current(Object request) {
    open = Tracer.start("test", SpanKind.AGENT, request, NONE);
  }

  @Test
  void applicationServicesAreTracedAnywhere() {
    assertTrue(AgenticSpans.tracesAiService(method(Translator.class, "translate")));
    current(new Calls.AiService(method(Translator.class, "summarize"), null));
    assertTrue(AgenticSpans.tracesAiService(method(Translator.class, "translate")));
  }

  @Test
  void anAiAgentsOwnServiceCallHasNoSecondSpan() {
    current(new AgenticSpans.Agent(null, "translate", method(Translator.class, "translate"), null, null));
    assertFalse(AgenticSpans.tracesAiService(method(Translator.class, "translate")));
    assertTrue(AgenticSpans.tracesAiService(method(Translator.class, "summarize")), "another service it calls");
  }

  @Test
  void langChain4jServicesAreTracedAtTheTopAndUnderAWorkflow() {
    Method plan = method(PlannerAgent.class, "plan");
    assertTrue(AgenticSpans.tracesAiService(plan), "an entry point");
    current(new AgenticSpans.Workflow(null, "supervisor", null, null));
    assertTrue(AgenticSpans.tracesAiService(plan), "the supervisor's own planner");
  }

  @Test
  void langChain4jServicesInsideAnotherTracedCallAreSkipped() {
    current(new AgenticSpans.Agent(null, "translate", method(Translator.class, "translate"), null, null));
    assertFalse(AgenticSpans.tracesAiService(method(PlannerAgent.class, "plan")));
  }

  @Test
  void theProxysOwnMethodsAreNeverTraced() {
    assertFalse(AgenticSpans.tracesAiService(method(ChatMemoryAccess.class, "getChatMemory")));
    current(new AgenticSpans.Workflow(null, "supervisor", null, null));
    assertFalse(AgenticSpans.tracesAiService(method(ChatMemoryAccess.class, "evictChatMemory")));
  }
}
