package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the advice does on the application thread: start a span holding references, or return
 * {@code null} when an enclosing call of the same layer already has one (overloads and default
 * methods that call each other make one span per logical call).
 */
final class LangChain4jSpans {
  static final String AI_SERVICE_PREFIX = "langchain4j.ai_service.";
  static final String CHAT = "langchain4j.chat";
  static final String TOOL_PREFIX = "langchain4j.tool.";
  static final String EMBEDDING = "langchain4j.embedding";
  static final String RETRIEVER = "langchain4j.retriever";

  /** Span names per service interface and method name; per class so they go when the interface does. */
  private static final ClassValue<ConcurrentHashMap<String, String>> SERVICE_NAMES =
      new ClassValue<ConcurrentHashMap<String, String>>() {
        @Override
        protected ConcurrentHashMap<String, String> computeValue(Class<?> type) {
          return new ConcurrentHashMap<String, String>();
        }
      };
  private static final ConcurrentHashMap<String, String> TOOL_NAMES = new ConcurrentHashMap<String, String>();

  private LangChain4jSpans() {}

  /**
   * An AI-service method call; {@code null} for Object and default methods, and where
   * {@link AgenticSpans#tracesAiService} says another span stands for the call or none is wanted.
   */
  static Span startAiService(Method method, Object[] args) {
    if (method == null || method.isDefault() || method.getDeclaringClass() == Object.class
        || !AgenticSpans.tracesAiService(method)) {
      return null;
    }
    ConcurrentHashMap<String, String> names = SERVICE_NAMES.get(method.getDeclaringClass());
    String name = names.get(method.getName());
    if (name == null) {
      name = AI_SERVICE_PREFIX + method.getDeclaringClass().getSimpleName() + "." + method.getName();
      names.put(method.getName(), name);
    }
    return Tracer.start(name, SpanKind.AGENT, new Calls.AiService(method, args), Renderers.AI_SERVICE);
  }

  /** Ends the service span, unless the call returned a stream: that span ends with the stream. */
  static void endAiService(Span span, Object result, Throwable thrown) {
    if (span == null) {
      return;
    }
    if (thrown == null && ((Calls.AiService) span.request()).streaming) {
      Tracer.exit(span);
    } else {
      Tracer.end(span, result, thrown);
    }
  }

  static Span startChat(Object model, Object request) {
    if (isCurrent(CHAT)) {
      ((Calls.Chat) Tracer.current().request()).handedOnTo(model, request);
      return null;
    }
    return Tracer.start(CHAT, SpanKind.LLM, new Calls.Chat(model, request), Renderers.CHAT);
  }

  /**
   * A streaming call returns before the stream ends: leave the span open unless the call itself failed, or
   * no handler of the call can be followed (then the span is the {@code chat(...)} call).
   */
  static void leaveStreamingChat(Span span, Throwable thrown) {
    if (span == null) {
      return;
    }
    Calls.Chat call = (Calls.Chat) span.request();
    if (thrown != null) {
      Tracer.end(span, null, thrown);
    } else if (call.endsOnReturn && !call.observed) {
      Tracer.end(span, null, null);
    } else {
      Tracer.exit(span);
    }
  }

  /** {@code null} under another tool span: the call site and the executor it calls make one span. */
  static Span startTool(Object toolExecutionRequest) {
    if (currentTool() != null) {
      return null;
    }
    String toolName = Reflect.string(toolExecutionRequest, "name");
    String name = TOOL_NAMES.get(String.valueOf(toolName));
    if (name == null) {
      name = TOOL_PREFIX + toolName;
      TOOL_NAMES.put(String.valueOf(toolName), name);
    }
    return Tracer.start(name, SpanKind.TOOL, new Calls.Tool(toolExecutionRequest), Renderers.TOOL);
  }

  /**
   * The tool method itself threw (an {@link InvocationTargetException} from {@code DefaultToolExecutor}).
   * LangChain4j turns that into a result text for the model (and newer versions also wrap it); the span
   * fails with the tool's own exception. An {@code IllegalAccessException} is not a failure: it is the
   * first try on a non-public class or method, which {@code DefaultToolExecutor} retries after
   * {@code setAccessible(true)}; if the retry fails too, the executor throws and that is reported.
   */
  static void toolMethodFailed(Throwable thrown) {
    Calls.Tool call = currentTool();
    if (call != null && thrown instanceof InvocationTargetException) {
      call.failure = thrown.getCause() != null ? thrown.getCause() : thrown;
    }
  }

  /** An executor running under the call site's span threw; the tool's own exception, if seen, stays the reason. */
  static void toolExecutorThrew(Throwable thrown) {
    Calls.Tool call = currentTool();
    if (call != null && thrown != null && call.failure == null) {
      call.failure = thrown;
    }
  }

  private static Calls.Tool currentTool() {
    Span current = Tracer.current();
    return current != null && current.request() instanceof Calls.Tool ? (Calls.Tool) current.request() : null;
  }

  /**
   * ERROR when the tool failed as LangChain4j handed it on: what the tool or executor threw, or a result
   * marked as an error (1.6+ {@code ToolExecutionResult.isError()}, e.g. from an application's executor).
   */
  static void endTool(Span span, Object result, Throwable thrown) {
    if (span != null) {
      Throwable failure = ((Calls.Tool) span.request()).failure;
      if (failure == null && thrown == null && Boolean.TRUE.equals(Reflect.call(result, "isError"))) {
        failure = new ToolErrorResult(ToolRenderer.resultText(result));
      }
      Tracer.end(span, result, failure != null ? failure : thrown);
    }
  }

  static Span startEmbedding(Object model, Object input) {
    return isCurrent(EMBEDDING) ? null
        : Tracer.start(EMBEDDING, SpanKind.EMBEDDING, new Calls.Component(model, input), Renderers.EMBEDDING);
  }

  static Span startRetriever(Object retriever, Object query) {
    return isCurrent(RETRIEVER) ? null
        : Tracer.start(RETRIEVER, SpanKind.RETRIEVER, new Calls.Component(retriever, query), Renderers.RETRIEVER);
  }

  private static boolean isCurrent(String name) {
    Span current = Tracer.current();
    // Span names are these constants, so identity says "a span of this very layer".
    return current != null && current.name() == name;
  }
}
