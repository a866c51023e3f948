package ai.wandb.agent.testing.wandb;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** One call as the trace server stores it: the start and end fields merged by id (either may come first). */
public final class WeaveCall {
  private final String id;
  private volatile Map<String, Object> start;
  private volatile Map<String, Object> end;
  private final AtomicInteger startsReceived = new AtomicInteger();
  private final AtomicInteger endsReceived = new AtomicInteger();

  WeaveCall(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The start fields, or null while only the end was seen. */
  public Map<String, Object> start() {
    return start;
  }

  /** The end fields, or null while the call runs. */
  public Map<String, Object> end() {
    return end;
  }

  /** How many times a start of this call arrived: the agent sends each call once, even across restarts. */
  public int startsReceived() {
    return startsReceived.get();
  }

  /** How many times an end of this call arrived (a completed call counts as a start and an end). */
  public int endsReceived() {
    return endsReceived.get();
  }

  void start(Map<String, Object> fields) {
    startsReceived.incrementAndGet();
    this.start = fields;
  }

  void end(Map<String, Object> fields) {
    endsReceived.incrementAndGet();
    this.end = fields;
  }

  public String projectId() {
    return (String) start.get("project_id");
  }

  public String traceId() {
    return (String) start.get("trace_id");
  }

  public String parentId() {
    return (String) start.get("parent_id");
  }

  public String opName() {
    return (String) start.get("op_name");
  }

  /** The op's name: from an op ref {@code weave:///<entity>/<project>/op/<name>:<digest>}, or the plain op_name. */
  public String op() {
    String opName = opName();
    if (opName == null || !opName.startsWith("weave:///")) {
      return opName;
    }
    String name = opName.substring(opName.indexOf("/op/") + 4);
    return name.substring(0, name.lastIndexOf(':'));
  }

  public String threadId() {
    return (String) start.get("thread_id");
  }

  public String turnId() {
    return (String) start.get("turn_id");
  }

  public String wbRunId() {
    return (String) start.get("wb_run_id");
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> attributes() {
    return (Map<String, Object>) start.get("attributes");
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> inputs() {
    return (Map<String, Object>) start.get("inputs");
  }

  public Object output() {
    return end == null ? null : end.get("output");
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> summary() {
    return end == null ? null : (Map<String, Object>) end.get("summary");
  }

  public String exception() {
    return end == null ? null : (String) end.get("exception");
  }
}
