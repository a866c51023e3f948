package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.Reflect;
import java.util.ArrayList;
import java.util.List;

/**
 * What a span holds by reference on the application thread: the library objects of one call, read
 * later by the renderers on the exporter thread.
 */
final class Calls {
  private Calls() {}

  /** One ChatClient call: the response spec (which holds the request as the app built it) and the method's arguments. */
  static final class ChatClient {
    final Object spec;
    final String method;
    final Object[] args;
    final Stream stream;

    ChatClient(Object spec, String method, Object[] args, boolean streaming) {
      this.spec = spec;
      this.method = method;
      this.args = args;
      this.stream = streaming ? new Stream(false) : null;
    }
  }

  /** One advisor in the chain: the request it got and the request it handed on to the rest of the chain. */
  static final class Advisor {
    final Object advisor;
    final Object request;
    volatile Object passedOn;
    final Stream stream;

    Advisor(Object advisor, Object request, boolean streaming) {
      this.advisor = advisor;
      this.request = request;
      this.stream = streaming ? new Stream(false) : null;
    }
  }

  /**
   * One model round trip: the model, the prompt as sent and, in Spring AI 1.x's internal tool loop, the
   * response of the round before (whose usage the new response includes). A public {@code call} that
   * enters the provider's own round-trip method, or a model that hands the call on to another, makes one
   * span; the innermost model and prompt are what was sent and replace the outer ones.
   */
  static final class Chat {
    private volatile Object model;
    private volatile Object prompt;
    private volatile Object previous;
    final Stream stream;
    /** The ToolDefinitions the model resolved while building this round trip's request (1.x toolNames). */
    volatile Object sentTools;

    Chat(Object model, Object prompt, Object previous, boolean streaming) {
      this.model = model;
      this.prompt = prompt;
      this.previous = previous;
      this.stream = streaming ? new Stream(true) : null;
    }

    Object model() {
      return model;
    }

    Object prompt() {
      return prompt;
    }

    Object previous() {
      return previous;
    }

    void handedOnTo(Object innerModel, Object innerPrompt, Object innerPrevious) {
      model = innerModel;
      prompt = innerPrompt;
      if (innerPrevious != null) {
        previous = innerPrevious;
      }
    }
  }

  /**
   * What a Flux emitted while its span was open (ChatResponse chunks, text pieces, ChatClientResponses).
   * A round trip of 1.x's streaming tool loop ends when its tools start, while its Flux goes on with the
   * next round trip's chunks; its own late chunks (the usage-only chunk that may trail the tool calls)
   * are still taken, told apart by the completion id they carry.
   */
  static final class Stream {
    private final List<Object> items = new ArrayList<Object>();
    private final boolean roundTrip;
    private String roundId;
    private volatile Object merged;

    Stream(boolean roundTrip) {
      this.roundTrip = roundTrip;
    }

    synchronized void add(Object item, boolean ended) {
      if (!ended) {
        items.add(item);
      } else if (roundTrip && !items.isEmpty()) {
        if (roundId == null) {
          roundId = completionId(items.get(0));
        }
        if (roundId != null && roundId.equals(completionId(item))) {
          items.add(item);
        }
      }
    }

    private static String completionId(Object response) {
      return Reflect.string(Reflect.call(response, "getMetadata"), "getId");
    }

    /**
     * The response the tool manager got for this round trip: 1.x merges a streamed round trip's tool calls
     * and hands them on instead of emitting them (2.x hands on the whole round trip aggregated).
     */
    void toolCallsHandedOn(Object response) {
      merged = response;
    }

    Object merged() {
      return merged;
    }

    synchronized List<Object> items() {
      return new ArrayList<Object>(items);
    }
  }

  /** One ToolCallback run: the callback (for its definition) and the input the model gave. */
  static final class Tool {
    final Object callback;
    final Object input;

    Tool(Object callback, Object input) {
      this.callback = callback;
      this.input = input;
    }
  }

  /**
   * One retrieval or embedding call: the component and its argument; a vector store searched inside a
   * document retriever's span adds its search request here instead of a span of its own.
   */
  static final class Component {
    final Object component;
    final Object input;
    volatile Object innerRequest;

    Component(Object component, Object input) {
      this.component = component;
      this.input = input;
    }
  }
}
