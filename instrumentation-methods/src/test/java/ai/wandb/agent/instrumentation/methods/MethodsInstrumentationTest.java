package ai.wandb.agent.instrumentation.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.AgentHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module installed in this JVM, on classes written the way apps write them. */
class MethodsInstrumentationTest {
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static AgentHarness agent;

  /** Loaded and used before the agent is installed, as in a JVM the agent attaches to. */
  static final class LoadedEarly {
    int twice(int n) {
      return 2 * n;
    }
  }

  /** Annotated and loaded before the agent: found through its class file, then retransformed. */
  static final class AnnotatedEarly {
    @io.opentelemetry.instrumentation.annotations.WithSpan
    int thrice(int n) {
      return 3 * n;
    }
  }

  static final class Assistant {
    private final Tools tools = new Tools();

    String answer(String question, int attempts) {
      return plan(question) + " x" + attempts;
    }

    String plan(String question) {
      return tools.search(question).get(0);
    }

    void fail(String why) {
      throw new IllegalStateException(why);
    }

    String untraced() {
      return "no span";
    }
  }

  static final class Tools {
    List<String> search(String query) {
      return List.of("result for " + query);
    }

    static Map<String, Object> stats() {
      return Map.of("hits", 3);
    }
  }

  @BeforeAll
  static void install() {
    assertEquals(4, new LoadedEarly().twice(2));
    assertEquals(3, new AnnotatedEarly().thrice(1));
    AgentLog.setOutput(new PrintStream(LOG, true, StandardCharsets.UTF_8));

    MethodsInstrumentationModule methods = new MethodsInstrumentationModule();
    String prefix = MethodsInstrumentationTest.class.getName();
    Map<String, Object> settings = Map.of(
        "wandb.trace.methods", prefix + "$Assistant[answer,plan,fail,nothere];" + prefix + "$Tools[*];"
            + prefix + "$LoadedEarly[twice];bad entry",
        "wandb.trace.annotations", List.of(Traced.class.getName()));
    methods.configure(settings::get);
    agent = AgentHarness.install(methods, new OpenTelemetryAnnotationsModule());
  }

  @Test
  void configuredMethodsAreNestedChainSpansWithArgumentsAndReturnValues() throws Exception {
    assertEquals("result for q x2", new Assistant().answer("q", 2));

    Span root = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("MethodsInstrumentationTest$Assistant.answer", root.name());
    assertEquals(SpanKind.CHAIN, root.kind());
    assertEquals(Map.of("question", "q", "attempts", 2), root.inputs());
    assertEquals("result for q x2", root.outputs());
    Span plan = root.children().get(0);
    assertEquals("MethodsInstrumentationTest$Assistant.plan", plan.name());
    Span search = plan.children().get(0);
    assertEquals("MethodsInstrumentationTest$Tools.search", search.name());
    assertEquals(List.of("result for q"), search.outputs());
  }

  @Test
  void theWildcardTakesStaticMethodsAndAnExceptionIsTheSpansError() throws Exception {
    assertEquals(Map.of("hits", 3), Tools.stats());
    assertEquals(Map.of("hits", 3), agent.nextTrace(Duration.ofSeconds(5)).outputs());

    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> new Assistant().fail("boom"));
    assertEquals("boom", thrown.getMessage());
    Span failed = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals(SpanStatus.ERROR, failed.status());
    assertEquals(IllegalStateException.class.getName(), failed.errorJson().get("type"));
    assertNull(failed.outputs());
  }

  @Test
  void methodsNotNamedAreLeftAlone() {
    assertEquals("no span", new Assistant().untraced());
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void aClassLoadedBeforeTheAgentIsRetransformed() throws Exception {
    assertEquals(6, new LoadedEarly().twice(3));
    assertEquals(6, agent.nextTrace(Duration.ofSeconds(5)).outputs());
  }

  @Test
  void anAnnotatedClassLoadedBeforeTheAgentIsRetransformed() throws Exception {
    assertEquals(6, new AnnotatedEarly().thrice(2));
    Span span = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("MethodsInstrumentationTest$AnnotatedEarly.thrice", span.name());
    assertEquals(6, span.outputs());
  }

  @Test
  void withSpanNamesTheSpanSetsItsKindAndSpanAttributesBecomeAttributes() throws Exception {
    assertEquals("page u", new Annotated().plain("ada", "u"));

    Span root = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("Annotated.plain", root.name());
    assertEquals(SpanKind.CHAIN, root.kind());
    assertEquals("ada", root.attributes().get("user.id"));
    assertEquals(Map.of("user", "ada", "text", "u"), root.inputs());
    Span client = root.children().get(0);
    assertEquals("fetch page", client.name());
    assertEquals(SpanKind.TOOL, client.kind());
    assertEquals("u", client.attributes().get("url"));
  }

  @Test
  void annotationTypesNamedByConfigurationAreTracedToo() throws Exception {
    assertEquals(3, new Annotated().own(new int[] {1, 2, 3}));

    Span span = agent.nextTrace(Duration.ofSeconds(5));
    assertEquals("Annotated.own", span.name());
    assertEquals(Map.of("values", List.of(1, 2, 3)), span.inputs());
  }

  @Test
  void badEntriesAndMissingMethodsAreOneWarningEach() {
    new Assistant().untraced();
    String log = LOG.toString(StandardCharsets.UTF_8);
    assertEquals(1, count(log, "entry 'bad entry' is not Class[method,...]"), log);
    assertEquals(1, count(log, "declares no method nothere"), log);
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }
}
