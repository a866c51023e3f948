package ai.wandb.agent.instrumentation.langchain4j;

import java.lang.reflect.Method;

/**
 * What a span holds by reference on the application thread: the library objects of one call, read
 * later by the renderers on the exporter thread.
 */
final class Calls {
  private Calls() {}

  /** One AI-service proxy method call. */
  static final class AiService {
    final Method method;
    final Object[] args;
    /** Set when the call returned a stream (TokenStream, Flux): the span then ends with the stream. */
    volatile boolean streaming;
    /**
     * The completion consumer the application gave the stream, by identity: the span ends where LangChain4j
     * calls it. Null when the application set none, and then completion does not end the span.
     */
    volatile Object completion;
    /** The application gave the stream an error consumer: the span ends on the stream's error. */
    volatile boolean endsOnError;

    AiService(Method method, Object[] args) {
      this.method = method;
      this.args = args;
    }
  }

  /**
   * One chat-model call: the model (for provider and default parameters) and the ChatRequest. A model
   * that hands the call on to another (an application's wrapper around a provider) makes one span; the
   * innermost model and its request are what was sent, and replace the outer ones.
   */
  static final class Chat {
    private volatile Object model;
    private volatile Object request;
    /** Set once the call was handed on, so that inputs rendered at start are rendered again at the end. */
    volatile boolean handedOn;
    /**
     * A streaming call whose handler the agent cannot follow (see {@link StreamingHandlers#follow}): the span
     * ends when {@code chat(...)} returns, unless LangChain4j's own observer, built inside, follows it.
     */
    volatile boolean endsOnReturn;
    volatile boolean observed;

    Chat(Object model, Object request) {
      this.model = model;
      this.request = request;
    }

    Object model() {
      return model;
    }

    Object request() {
      return request;
    }

    void handedOnTo(Object innerModel, Object innerRequest) {
      if (innerModel != model || innerRequest != request) {
        request = innerRequest;
        model = innerModel;
        handedOn = true;
      }
    }
  }

  /** One tool execution; {@code failure} is what the tool method threw, which LangChain4j may swallow. */
  static final class Tool {
    final Object request;
    volatile Throwable failure;

    Tool(Object request) {
      this.request = request;
    }
  }

  /** One embedding-model or content-retriever call: the component and its argument. */
  static final class Component {
    final Object component;
    final Object input;

    Component(Object component, Object input) {
      this.component = component;
      this.input = input;
    }
  }
}
