package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.IdentityWeakMap;
import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the hooks do on the application thread: open a span holding references (or none where an
 * enclosing call of the same layer already has one), and keep Spring AI's tool loop flat: each model
 * round trip is its own LLM span, and the tools between two round trips run under the round trips'
 * parent, never inside the round trip that asked for them.
 */
final class SpringAiSpans {
  static final String CHAT_CLIENT = "spring_ai.chat_client";
  static final String CHAT_MODEL = "spring_ai.chat_model";
  static final String CHAT = "spring_ai.chat";
  static final String ADVISOR_PREFIX = "spring_ai.advisor.";
  static final String TOOL_PREFIX = "spring_ai.tool.";
  static final String RETRIEVER = "spring_ai.retriever";
  static final String EMBEDDING = "spring_ai.embedding";

  /** Spring AI 1.x's tool loop runs inside the model; 2.x moved it to an advisor (ToolCallingAdvisor). */
  private static final String LOOP_PREDICATE = "org.springframework.ai.model.tool.ToolExecutionEligibilityPredicate";
  /** The advisors that end the chain by calling the model: the model's span says all they would. */
  private static final String TERMINAL_ADVISOR_PACKAGE = "org.springframework.ai.chat.client.advisor.ChatModel";

  /** A round trip's prompt as sent (the object the tool manager gets too) to its span. */
  private static final IdentityWeakMap<Span> ROUND_BY_PROMPT = new IdentityWeakMap<Span>();
  /** A round trip's response to the span its tools ran under: the next round trip (maybe on another thread) goes there too. */
  private static final IdentityWeakMap<Span> PARENT_BY_RESPONSE = new IdentityWeakMap<Span>();

  private static final ClassValue<Boolean> LOOPS_INSIDE = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          if (field.getType().getName().equals(LOOP_PREDICATE)) {
            return Boolean.TRUE;
          }
        }
      }
      return Boolean.FALSE;
    }
  };

  private static final ClassValue<String> ADVISOR_NAMES = new ClassValue<String>() {
    @Override
    protected String computeValue(Class<?> type) {
      if (type.getName().startsWith(TERMINAL_ADVISOR_PACKAGE)) {
        return null;
      }
      String simple = type.getSimpleName();
      if (simple.isEmpty()) {
        // Anonymous and hidden classes: the binary name without its package.
        simple = type.getName().substring(type.getName().lastIndexOf('.') + 1);
      }
      return ADVISOR_PREFIX + simple;
    }
  };

  private static final ConcurrentHashMap<String, String> TOOL_NAMES = new ConcurrentHashMap<String, String>();

  private SpringAiSpans() {}

  /** A span opened by a hook, where it was opened, and what to restore on this thread when it is left. */
  static final class Opened {
    final Span span;
    final Opened outer;
    private final boolean moved;
    private final Span previous;

    Opened(Span span, Opened outer, boolean moved, Span previous) {
      this.span = span;
      this.outer = outer;
      this.moved = moved;
      this.previous = previous;
    }

    /** Ends the span (and the one it was opened in by the same hook) with the call's outcome. */
    void close(Object result, Throwable thrown) {
      Tracer.end(span, result, thrown);
      if (outer != null) {
        outer.close(result, thrown);
      } else if (moved) {
        Tracer.restore(previous);
      }
    }

    /** Leaves the span open (a stream's span ends with the stream) and restores this thread's context. */
    void leave() {
      Tracer.exit(span);
      if (outer != null) {
        outer.leave();
      } else if (moved) {
        Tracer.restore(previous);
      }
    }
  }

  /** The innermost span that is still open: a context carried to a callback may point at a span that has ended. */
  static Span liveCurrent() {
    Span span = Tracer.current();
    while (span != null && span.isEnded()) {
      span = span.parent();
    }
    return span;
  }

  private static Opened open(Span parent, Opened outer, String name, SpanKind kind, Object request,
      SpanRenderer renderer) {
    return open(parent, outer, name, kind, request, renderer, false);
  }

  private static Opened open(Span parent, Opened outer, String name, SpanKind kind, Object request,
      SpanRenderer renderer, boolean tentative) {
    Span current = Tracer.current();
    boolean moved = outer == null && parent != current;
    Span previous = moved ? Tracer.attach(parent) : null;
    Span span = tentative ? Tracer.startTentative(name, kind, request, renderer)
        : Tracer.start(name, kind, request, renderer);
    return new Opened(span, outer, moved, previous);
  }

  private static <T> T currentCall(Class<T> type) {
    Span current = Tracer.current();
    return current != null && !current.isEnded() && type.isInstance(current.request())
        ? type.cast(current.request()) : null;
  }

  // ---- ChatClient

  /** {@code null} inside a span of the same response spec (one public method calling another). */
  static Opened startChatClient(Object spec, String method, Object[] args, boolean streaming) {
    Calls.ChatClient enclosing = currentCall(Calls.ChatClient.class);
    if (enclosing != null && enclosing.spec == spec) {
      return null;
    }
    return open(liveCurrent(), null, CHAT_CLIENT, SpanKind.AGENT,
        new Calls.ChatClient(spec, method, args, streaming), Renderers.CHAT_CLIENT);
  }

  // ---- advisors

  /** {@code null} for the chain's terminal advisors, and inside the span of the same advisor (an override calling the default). */
  static Opened startAdvisor(Object advisor, Object request, boolean streaming) {
    String name = advisor == null ? null : ADVISOR_NAMES.get(advisor.getClass());
    Calls.Advisor enclosing = currentCall(Calls.Advisor.class);
    if (name == null || (enclosing != null && enclosing.advisor == advisor)) {
      return null;
    }
    return open(liveCurrent(), null, name, SpanKind.CHAIN, new Calls.Advisor(advisor, request, streaming),
        Renderers.ADVISOR);
  }

  /** The request an advisor hands on to the rest of the chain: what it added shows against what it got. */
  static void advisorHandsOn(Object request) {
    Calls.Advisor advisor = currentCall(Calls.Advisor.class);
    if (advisor != null && advisor.passedOn == null) {
      advisor.passedOn = request;
    }
  }

  // ---- model round trips

  /**
   * A model call or round trip. Inside an open chat span (the public {@code call} entering the provider's
   * round trip, or a wrapper handing on) the open span takes the inner model and prompt. A later round of
   * 1.x's loop goes where the tools of the round before ran. A direct 1.x {@code call} outside a ChatClient
   * that offers tools (so the model may loop) is enclosed in one {@code spring_ai.chat_model} span, a
   * tentative one: confirmed when tools run, dissolved (the round trip alone) when the model answers at once.
   */
  static Opened startRoundTrip(Object model, Object prompt, Object previous, boolean streaming, boolean publicEntry) {
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && current.request() instanceof Calls.Chat) {
      ((Calls.Chat) current.request()).handedOnTo(model, prompt, previous);
      ROUND_BY_PROMPT.put(prompt, current);
      return null;
    }
    Span parent = previous != null ? PARENT_BY_RESPONSE.get(previous) : null;
    if (parent == null) {
      parent = liveCurrent();
    }
    Opened outer = null;
    if (publicEntry && model != null && LOOPS_INSIDE.get(model.getClass())
        && !under(parent, CHAT_CLIENT) && toolsOffered(model, prompt)) {
      outer = open(parent, null, CHAT_MODEL, SpanKind.CHAIN, new Calls.Component(model, prompt), Renderers.CHAT_MODEL,
          true);
    }
    Opened round = open(outer != null ? outer.span : parent, outer, CHAT, SpanKind.LLM,
        new Calls.Chat(model, prompt, previous, streaming), Renderers.CHAT);
    ROUND_BY_PROMPT.put(prompt, round.span);
    return round;
  }

  /** A provider's raw chunk stream opened inside a streamed round trip (see {@link FluxScope#markingFirstToken}). */
  static Object providerStream(Object flux) {
    Span current = Tracer.current();
    if (current == null || current.isEnded() || !(current.request() instanceof Calls.Chat)
        || ((Calls.Chat) current.request()).stream == null) {
      return flux;
    }
    return FluxScope.markingFirstToken(flux, current);
  }

  private static boolean under(Span span, String name) {
    for (Span s = span; s != null; s = s.parent()) {
      if (name.equals(s.name())) {
        return true;
      }
    }
    return false;
  }

  private static boolean toolsOffered(Object model, Object prompt) {
    return hasTools(Reflect.call(prompt, "getOptions")) || hasTools(Reflect.call(model, "getDefaultOptions"));
  }

  private static boolean hasTools(Object options) {
    return notEmpty(Reflect.call(options, "getToolCallbacks")) || notEmpty(Reflect.call(options, "getToolNames"));
  }

  private static boolean notEmpty(Object collection) {
    return collection instanceof Collection && !((Collection<?>) collection).isEmpty();
  }

  /**
   * The tool manager runs the tools a round trip asked for: that round trip has ended (blocking: with
   * this response; streaming: with what it streamed), and the tools run under its parent. Returns what
   * to restore on this thread afterwards, or {@code null} when no round trip of ours asked.
   */
  static Opened startTools(Object prompt, Object response) {
    Span round = ROUND_BY_PROMPT.get(prompt);
    if (round == null) {
      for (Span s = Tracer.current(); s != null; s = s.parent()) {
        if (s.request() instanceof Calls.Chat) {
          round = s;
          break;
        }
      }
    }
    if (round == null) {
      return null;
    }
    Calls.Chat chat = (Calls.Chat) round.request();
    if (chat.stream != null) {
      chat.stream.toolCallsHandedOn(response);
      // A provider whose raw chunks are not observed: the merged tool calls are the first output seen.
      round.markFirstToken();
    }
    Tracer.end(round, chat.stream == null ? response : null, null);
    Span parent = round.parent();
    // The model loops: a direct call's tentative spring_ai.chat_model span is there to stay.
    Tracer.confirm(parent);
    while (parent != null && parent.isEnded()) {
      parent = parent.parent();
    }
    if (parent != null) {
      PARENT_BY_RESPONSE.put(response, parent);
    }
    return new Opened(null, null, true, Tracer.attach(parent));
  }

  /** The model resolved the tool definitions it sends: kept for the round trip being built, the first time. */
  static void toolsResolved(Object definitions) {
    Calls.Chat chat = currentCall(Calls.Chat.class);
    if (chat != null && chat.sentTools == null) {
      chat.sentTools = definitions;
    }
  }

  static void endTools(Opened tools) {
    if (tools != null) {
      Tracer.restore(tools.previous);
    }
  }

  // ---- tools, retrieval, embeddings

  /** {@code null} inside the span of the same callback (its {@code call(input, context)} calling {@code call(input)}). */
  static Opened startTool(Object callback, Object input) {
    Calls.Tool enclosing = currentCall(Calls.Tool.class);
    if (enclosing != null && enclosing.callback == callback) {
      return null;
    }
    String toolName = String.valueOf(Reflect.string(Reflect.call(callback, "getToolDefinition"), "name"));
    String name = TOOL_NAMES.get(toolName);
    if (name == null) {
      name = TOOL_PREFIX + toolName;
      TOOL_NAMES.put(toolName, name);
    }
    return open(liveCurrent(), null, name, SpanKind.TOOL, new Calls.Tool(callback, input), Renderers.TOOL);
  }

  /**
   * {@code MethodToolCallback} and {@code FunctionToolCallback} wrap what the tool threw in a
   * {@code ToolExecutionException}; the span shows the tool's own exception.
   */
  static Throwable toolFailure(Throwable thrown) {
    if (thrown != null && thrown.getCause() != null
        && thrown.getClass().getName().equals("org.springframework.ai.tool.execution.ToolExecutionException")) {
      return thrown.getCause();
    }
    return thrown;
  }

  /** One span per retrieval: a vector store searched by a document retriever adds its request to the retriever's span. */
  static Opened startRetriever(Object component, Object input) {
    Calls.Component enclosing = currentCall(Calls.Component.class);
    if (enclosing != null && RETRIEVER.equals(Tracer.current().name())) {
      if (enclosing.innerRequest == null && enclosing.component != component) {
        enclosing.innerRequest = input;
      }
      return null;
    }
    return open(liveCurrent(), null, RETRIEVER, SpanKind.RETRIEVER, new Calls.Component(component, input),
        Renderers.RETRIEVER);
  }

  /** One span per embedding call: the overloads that call each other ({@code embed} → {@code call}) make one. */
  static Opened startEmbedding(Object model, Object input) {
    Span current = Tracer.current();
    if (current != null && !current.isEnded() && EMBEDDING.equals(current.name())) {
      return null;
    }
    return open(liveCurrent(), null, EMBEDDING, SpanKind.EMBEDDING, new Calls.Component(model, input),
        Renderers.EMBEDDING);
  }
}
