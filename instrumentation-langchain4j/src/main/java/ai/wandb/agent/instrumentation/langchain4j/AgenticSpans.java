package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the langchain4j-agentic hooks do on the application thread. A workflow (sequence, loop,
 * parallel, conditional, supervisor, any planner) is one run of its planner loop: a span holding the
 * AgenticScope's state as it was when the run started and ended. Every sub-agent invocation (AI
 * agent, non-AI {@code @Agent} method, human in the loop) is a span under it; a sub-agent that is
 * itself a workflow gets its span from its own planner loop, so it appears once.
 */
final class AgenticSpans {
  static final String AGENT_PREFIX = "langchain4j.agent.";
  static final String WORKFLOW_PREFIX = "langchain4j.workflow.";
  private static final String PLANNER_HANDLER = "dev.langchain4j.agentic.internal.PlannerBasedInvocationHandler";
  /** Keys the planner loop keeps its own execution state under, not the application's. */
  private static final String INTERNAL_KEY_PREFIX = "__";

  private static final Reflect.PrivateField PLANNER_AGENT = new Reflect.PrivateField("plannerAgent");
  private static final ConcurrentHashMap<String, String> AGENT_NAMES = new ConcurrentHashMap<String, String>();
  private static final ConcurrentHashMap<String, String> WORKFLOW_NAMES = new ConcurrentHashMap<String, String>();
  /** A loop planner's iteration counter (a private field, read when each sub-agent starts); null where absent. */
  private static final ClassValue<Field> ITERATION_FIELDS = new ClassValue<Field>() {
    @Override
    protected Field computeValue(Class<?> type) {
      try {
        Field field = type.getDeclaredField("iterationsCounter");
        field.setAccessible(true);
        return field;
      } catch (Exception e) {
        return null;
      }
    }
  };

  private AgenticSpans() {}

  /** One sub-agent invocation: the invoker (name, id, arguments, output key), the agent method, the values passed. */
  static final class Agent {
    final Object invoker;
    final String name;
    final Method method;
    final Object arguments;
    final Integer iteration;

    Agent(Object invoker, String name, Method method, Object arguments, Integer iteration) {
      this.invoker = invoker;
      this.name = name;
      this.method = method;
      this.arguments = arguments;
      this.iteration = iteration;
    }
  }

  /** One planner-loop run: the workflow's handler and planner, and the scope's state at start and end. */
  static final class Workflow {
    final Object handler;
    final String name;
    final Object planner;
    final Object scope;
    final Map<String, Object> stateAtStart;
    volatile Map<String, Object> stateAtEnd;

    Workflow(Object handler, String name, Object planner, Object scope) {
      this.handler = handler;
      this.name = name;
      this.planner = planner;
      this.scope = scope;
      this.stateAtStart = state(scope);
    }
  }

  /** {@code AgentInvoker.invoke(scope, agent, arguments)}; {@code null} for a workflow, whose loop has the span. */
  static Span startAgent(Object invoker, Object agent, Object invocationArguments) {
    if (isWorkflow(agent)) {
      return null;
    }
    String agentName = Reflect.string(invoker, "name");
    String name = AGENT_NAMES.get(String.valueOf(agentName));
    if (name == null) {
      name = AGENT_PREFIX + agentName;
      AGENT_NAMES.put(String.valueOf(agentName), name);
    }
    Object method = Reflect.call(invoker, "method");
    Agent call = new Agent(invoker, agentName, method instanceof Method ? (Method) method : null,
        invocationArguments, iteration(Tracer.current()));
    return Tracer.start(name, SpanKind.AGENT, call, AgenticRenderers.AGENT);
  }

  /** {@code PlannerLoop.loop()}: the workflow run starts. */
  static Span startWorkflow(Object planner, Object scope, Object handler) {
    String workflowName = Reflect.string(handler, "name");
    if (workflowName == null) {
      // 1.9: the handler has no name of its own; its planner agent has the workflow's.
      workflowName = Reflect.string(PLANNER_AGENT.read(handler), "name");
    }
    String name = WORKFLOW_NAMES.get(String.valueOf(workflowName));
    if (name == null) {
      name = WORKFLOW_PREFIX + workflowName;
      WORKFLOW_NAMES.put(String.valueOf(workflowName), name);
    }
    Span span = Tracer.start(name, SpanKind.AGENT, new Workflow(handler, workflowName, planner, scope),
        AgenticRenderers.WORKFLOW);
    return span;
  }

  static void endWorkflow(Span span, Object result, Throwable thrown) {
    if (span == null) {
      return;
    }
    Workflow call = (Workflow) span.request();
    call.stateAtEnd = state(call.scope);
    Tracer.end(span, result, thrown);
  }

  /**
   * Whether a call of an AI-service method gets its own {@code langchain4j.ai_service} span. Not when an
   * agent span is this very call (an AI agent runs on an AI service), unless it returns a stream: the
   * agent's invocation returns before the stream runs, and the service span is the one that lasts until
   * the stream ends. Methods of LangChain4j's own
   * interfaces: never those of {@code dev.langchain4j.service} (the proxy answers them, no model is
   * called); the others are AI services LangChain4j declares (the supervisor's planner and response
   * scorer, {@code UntypedAgent}), traced where they are an entry point (no span current) or an agent a
   * workflow runs itself, and skipped where LangChain4j uses one inside an already traced call (context
   * summaries for an agent), whose model calls nest under that call's span.
   */
  static boolean tracesAiService(Method method) {
    Span current = Tracer.current();
    Object request = current == null ? null : current.request();
    if (request instanceof Agent && method.equals(((Agent) request).method) && !returnsStream(method)) {
      return false;
    }
    String declaringType = method.getDeclaringClass().getName();
    if (!declaringType.startsWith("dev.langchain4j.")) {
      return true;
    }
    if (declaringType.startsWith("dev.langchain4j.service.")) {
      return false;
    }
    return current == null || request instanceof Workflow;
  }

  private static boolean returnsStream(Method method) {
    String type = method.getReturnType().getName();
    return type.equals("dev.langchain4j.service.TokenStream") || type.equals("reactor.core.publisher.Flux");
  }

  /** The running workflow's iteration when it is a loop (its planner counts them), else null. */
  private static Integer iteration(Span current) {
    if (current == null || !(current.request() instanceof Workflow)) {
      return null;
    }
    Object planner = ((Workflow) current.request()).planner;
    Field field = planner == null ? null : ITERATION_FIELDS.get(planner.getClass());
    if (field == null) {
      return null;
    }
    try {
      return Integer.valueOf(field.getInt(planner));
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * A copy of the scope's state (the scope keeps changing while the workflow runs), sorted by key and
   * without the planner's own entries. Values stay references, rendered on the exporter thread.
   */
  private static Map<String, Object> state(Object scope) {
    Object state = Reflect.call(scope, "state");
    if (!(state instanceof Map)) {
      return null;
    }
    Map<String, Object> copy = new TreeMap<String, Object>();
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) state).entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (!key.startsWith(INTERNAL_KEY_PREFIX)) {
        copy.put(key, entry.getValue());
      }
    }
    return copy;
  }

  /** Whether the invoked agent is a workflow: a proxy run by LangChain4j's planner-based handler. */
  private static boolean isWorkflow(Object agent) {
    if (agent == null || !Proxy.isProxyClass(agent.getClass())) {
      return false;
    }
    InvocationHandler handler = Proxy.getInvocationHandler(agent);
    for (Class<?> type = handler.getClass(); type != null; type = type.getSuperclass()) {
      if (type.getName().equals(PLANNER_HANDLER)) {
        return true;
      }
    }
    return false;
  }
}
