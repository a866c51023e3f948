package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanRenderer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The AGENT spans of langchain4j-agentic: sub-agent invocations and workflow runs. */
final class AgenticRenderers {
  /**
   * A sub-agent invocation: the arguments it read from the AgenticScope, its id and output key, its
   * loop iteration; at the end the same as an AI-service span (user message sent, failed tools, output),
   * since an AI agent's AI-service call has no span of its own.
   */
  static final SpanRenderer AGENT = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      AgenticSpans.Agent call = (AgenticSpans.Agent) span.request();
      span.setAttribute("gen_ai.operation.name", "invoke_agent");
      span.setAttribute("gen_ai.agent.name", call.name);
      span.setAttribute("gen_ai.agent.id", Reflect.string(call.invoker, "agentId"));
      span.setAttribute("langchain4j.agentic.output_key", Reflect.string(call.invoker, "outputKey"));
      span.setAttribute("langchain4j.agentic.topology", topology(call.invoker));
      if (call.iteration != null) {
        span.setAttribute("langchain4j.agentic.iteration", call.iteration);
      }
      Map<String, Object> inputs = new LinkedHashMap<String, Object>();
      inputs.put("arguments", arguments(call));
      span.setInputs(inputs);
    }

    @Override
    public void renderEnd(Span span) {
      Renderers.AI_SERVICE.renderEnd(span);
    }
  };

  /**
   * The values the agent method got, named by the invoker's arguments: the ones read from the scope and
   * those LangChain4j put in itself (a parallel mapper's item), without the scope and invocation
   * parameters LangChain4j passes along ({@code @AgenticScope}...); the memory id as {@code memory_id}.
   */
  private static Map<String, Object> arguments(AgenticSpans.Agent call) {
    Object declared = Reflect.call(call.invoker, "arguments");
    Object passed = Reflect.call(call.arguments, "positionalArgs");
    if (!(declared instanceof List) || !(passed instanceof Object[])
        || ((List<?>) declared).size() != ((Object[]) passed).length) {
      return values(Reflect.call(call.arguments, "namedArgs"));
    }
    Map<String, Object> arguments = new LinkedHashMap<String, Object>();
    for (int i = 0; i < ((Object[]) passed).length; i++) {
      String name = Reflect.string(((List<?>) declared).get(i), "name");
      if ("@MemoryId".equals(name)) {
        arguments.put("memory_id", Renderers.value(((Object[]) passed)[i]));
      } else if (name != null && !name.startsWith("@")) {
        arguments.put(name, Renderers.value(((Object[]) passed)[i]));
      }
    }
    return arguments;
  }

  /**
   * A workflow run: its kind (the planner's topology: sequence, loop, parallel, conditional,
   * supervisor...), the scope's state when it started and ended, its output, and for loops how many
   * iterations ran.
   */
  static final SpanRenderer WORKFLOW = new SpanRenderer() {
    @Override
    public void renderStart(Span span) {
      AgenticSpans.Workflow call = (AgenticSpans.Workflow) span.request();
      span.setAttribute("gen_ai.operation.name", "invoke_agent");
      span.setAttribute("gen_ai.agent.name", call.name);
      span.setAttribute("gen_ai.agent.id", Reflect.string(call.handler, "agentId"));
      span.setAttribute("langchain4j.agentic.workflow", workflowKind(call.planner));
      span.setAttribute("langchain4j.agentic.planner", call.planner == null ? null : call.planner.getClass().getName());
      span.setAttribute("langchain4j.agentic.topology", topology(call.planner));
      span.setAttribute("langchain4j.agentic.output_key", Reflect.string(call.handler, "outputKey"));
      Map<String, Object> inputs = new LinkedHashMap<String, Object>();
      inputs.put("state", values(call.stateAtStart));
      span.setInputs(inputs);
    }

    @Override
    public void renderEnd(Span span) {
      AgenticSpans.Workflow call = (AgenticSpans.Workflow) span.request();
      int iterations = 0;
      for (Span child : span.children()) {
        // From the child's request, not its attributes: those may not be rendered yet.
        Integer iteration = child.request() instanceof AgenticSpans.Agent
            ? ((AgenticSpans.Agent) child.request()).iteration : null;
        if (iteration != null) {
          iterations = Math.max(iterations, iteration);
        }
      }
      if (iterations > 0) {
        span.setAttribute("langchain4j.agentic.iterations", iterations);
      }
      Map<String, Object> outputs = new LinkedHashMap<String, Object>();
      outputs.put("output", Renderers.value(span.response()));
      outputs.put("state", values(call.stateAtEnd));
      span.setOutputs(outputs);
    }
  };

  private AgenticRenderers() {}

  /**
   * The workflow kinds LangChain4j builds, named by their planners; {@code planner} for any other planner
   * (the agentic-patterns ones, the application's own), whose class is in {@code langchain4j.agentic.planner}.
   */
  private static String workflowKind(Object planner) {
    String type = planner == null ? "" : planner.getClass().getName();
    String kind = WORKFLOW_KINDS.get(type);
    return kind != null ? kind : "planner";
  }

  private static final Map<String, String> WORKFLOW_KINDS = new HashMap<String, String>();

  static {
    WORKFLOW_KINDS.put("dev.langchain4j.agentic.workflow.impl.SequentialPlanner", "sequence");
    WORKFLOW_KINDS.put("dev.langchain4j.agentic.workflow.impl.LoopPlanner", "loop");
    WORKFLOW_KINDS.put("dev.langchain4j.agentic.workflow.impl.ParallelPlanner", "parallel");
    WORKFLOW_KINDS.put("dev.langchain4j.agentic.workflow.impl.ParallelMapperPlanner", "parallel_mapper");
    WORKFLOW_KINDS.put("dev.langchain4j.agentic.workflow.impl.ConditionalPlanner", "conditional");
    WORKFLOW_KINDS.put("dev.langchain4j.agentic.supervisor.SupervisorPlanner", "supervisor");
  }

  /** LangChain4j's own topology of an agent or planner in lower case ({@code ai_agent}, {@code router}...). */
  private static String topology(Object agentOrPlanner) {
    Object topology = Reflect.call(agentOrPlanner, "topology");
    return topology == null ? null : topology.toString().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> values(Object map) {
    if (!(map instanceof Map)) {
      return null;
    }
    Map<String, Object> values = new LinkedHashMap<String, Object>();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) map).entrySet()) {
      values.put(String.valueOf(entry.getKey()), Renderers.value(entry.getValue()));
    }
    return values;
  }
}
