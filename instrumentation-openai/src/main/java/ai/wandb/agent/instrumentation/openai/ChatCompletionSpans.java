package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;

/** What the chat advice does on the application thread: start a span holding references, nothing more. */
public final class ChatCompletionSpans {
  static final String NAME = "openai.chat.completions.create";
  private static final ChatCompletionRenderer RENDERER = new ChatCompletionRenderer(new OpenAiWireJson());

  private ChatCompletionSpans() {}

  public static Span start(Object params, Object clientOptions) {
    return Tracer.start(NAME, SpanKind.LLM, new OpenAiRequest(params, clientOptions), RENDERER);
  }
}
