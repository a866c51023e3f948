package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.GenAiAttributes;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import ai.wandb.agent.api.stainless.ChunkLog;
import ai.wandb.agent.api.stainless.StainlessWireJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every Anthropic span: the request as sent as inputs (system, messages with their content blocks,
 * tools, tool choice, thinking, parameters), the message (or the stream folded into one) as outputs,
 * GenAI attributes and usage. Exporter thread only; reads SDK objects as Anthropic's wire JSON.
 */
final class AnthropicRenderer implements SpanRenderer {
  /** Path parameters some calls carry outside the body: the batch they address. */
  private static final String[][] PATH_PARAMS = {{"messageBatchId", "message_batch_id"}};
  static final AnthropicRenderer INSTANCE =
      new AnthropicRenderer(new StainlessWireJson(AnthropicInstrumentationModule.SDK, PATH_PARAMS));

  private final StainlessWireJson wire;

  AnthropicRenderer(StainlessWireJson wire) {
    this.wire = wire;
  }

  @Override
  public void renderStart(Span span) {
    AnthropicRequest request = (AnthropicRequest) span.request();
    AnthropicOperation operation = request.operation;
    span.setAttribute("gen_ai.operation.name", operation.operationName);
    span.setAttribute("gen_ai.provider.name", AnthropicProvider.of(request.clientOptions));
    if (operation.streaming) {
      span.setAttribute("gen_ai.request.stream", Boolean.TRUE);
    }
    Map<String, Object> body;
    try {
      body = wire.body(request.params);
    } catch (Exception e) {
      span.setAttribute("wandb.render_error", "request: " + e);
      AgentLog.debug("could not read the request of " + span + ": " + e);
      return;
    }
    if (operation.streaming) {
      body.put("stream", Boolean.TRUE);
    }
    span.setInputs(body);
    if (operation.family == AnthropicOperation.Family.BATCHES) {
      span.setAttribute("anthropic.batch.id", body.get("message_batch_id"));
      return;
    }
    GenAiAttributes.setRequestAttributes(span, body);
    span.setAttribute("gen_ai.request.stop_sequences", body.get("stop_sequences"));
    span.setAttribute("gen_ai.request.tool_choice", body.get("tool_choice"));
    span.setAttribute("gen_ai.tool.definitions", body.get("tools"));
    Map<String, Object> thinking = MessageStreamFold.map(body.get("thinking"));
    span.setAttribute("anthropic.request.thinking.budget_tokens", thinking == null ? null : thinking.get("budget_tokens"));
  }

  @Override
  public void renderEnd(Span span) {
    if (span.error() != null) {
      span.setAttribute("http.response.status_code", wire.statusCode(span.error()));
    }
    Object response = span.response();
    if (response == null) {
      return;
    }
    AnthropicOperation operation = ((AnthropicRequest) span.request()).operation;
    Map<String, Object> result;
    try {
      result = response instanceof ChunkLog ? fold(span, (ChunkLog) response) : wire.object(response);
    } catch (Exception e) {
      span.setAttribute("wandb.render_error", "response: " + e);
      AgentLog.debug("could not read the response of " + span + ": " + e);
      return;
    }
    span.setOutputs(result);
    switch (operation.family) {
      case MESSAGES:
        span.setAttribute("gen_ai.response.id", result.get("id"));
        span.setAttribute("gen_ai.response.model", result.get("model"));
        span.setAttribute("gen_ai.response.finish_reasons",
            result.get("stop_reason") == null ? null : Collections.singletonList(result.get("stop_reason")));
        span.setUsage(AnthropicUsage.of(MessageStreamFold.map(result.get("usage"))));
        break;
      case BATCHES:
        span.setAttribute("anthropic.batch.id", result.get("id"));
        span.setAttribute("anthropic.batch.processing_status", result.get("processing_status"));
        break;
      default:
        span.setAttribute("anthropic.count_tokens.input_tokens", result.get("input_tokens"));
    }
  }

  private Map<String, Object> fold(Span span, ChunkLog log) throws Exception {
    List<Map<String, Object>> events = new ArrayList<Map<String, Object>>();
    for (Object event : log.snapshot()) {
      events.add(wire.sseMessage(event, false));
    }
    span.setAttribute("wandb.stream.chunks", events.size() + log.dropped());
    if (log.dropped() > 0) {
      span.setAttribute("wandb.stream.chunks_dropped", log.dropped());
    }
    return MessageStreamFold.message(events);
  }
}
