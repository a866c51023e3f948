package ai.wandb.agent.instrumentation.langchain4j;

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
      return null;
    }
    return Tracer.start(CHAT, SpanKind.LLM, new Calls.Chat(model, request), Renderers.CHAT);
  }

  /** A streaming call returns before the stream ends: leave the span open unless the call itself failed. */
  static void leaveStreamingChat(Span span, Throwable thrown) {
    if (thrown != null) {
      Tracer.end(span, null, thrown);
    } else {
      Tracer.exit(span);
    }
  }

  static Span startTool(Object toolExecutionRequest) {
    Span current = Tracer.current();
    if (current != null && current.kind() == SpanKind.TOOL && current.request() instanceof Calls.Tool) {
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
   * The tool method itself threw. LangChain4j turns that into a result text for the model (and newer
   * versions also wrap it); the span fails with the tool's own exception.
   */
  static void toolMethodFailed(Throwable thrown) {
    Span current = Tracer.current();
    if (thrown != null && current != null && current.request() instanceof Calls.Tool) {
      ((Calls.Tool) current.request()).failure =
          thrown instanceof InvocationTargetException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }
  }

  static void endTool(Span span, Object result, Throwable thrown) {
    if (span != null) {
      Throwable failure = ((Calls.Tool) span.request()).failure;
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
