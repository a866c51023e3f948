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

    AiService(Method method, Object[] args) {
      this.method = method;
      this.args = args;
    }
  }

  /** One chat-model call: the model (for provider and default parameters) and the ChatRequest. */
  static final class Chat {
    final Object model;
    final Object request;

    Chat(Object model, Object request) {
      this.model = model;
      this.request = request;
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
