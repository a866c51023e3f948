package ai.wandb.agent.api.instrumentation;

import java.util.List;

/** Calls of the shapes a hooked call site must handle; {@link HookedCallsTest} weaves a copy of this class. */
public class CallSiteFixture {
  /** Stands in for a library interface an app implements with a lambda. */
  public interface Executor {
    String execute(String request, Object memoryId);
  }

  public interface Sink {
    void accept(Object value);
  }

  final List<String> log;

  public CallSiteFixture(List<String> log) {
    this.log = log;
  }

  /** The call's result is the argument of another call, with a value below it on the stack and a wide local. */
  public String nested(Executor executor, long wide, String request) {
    String prefix = "got ";
    return String.join("", prefix, executor.execute(request, wide)) + " " + wide;
  }

  /** Its own handler covers the call: the hook's exit runs first and the handler sees the exception. */
  public String caught(Executor executor, double ratio) {
    try {
      log.add("result " + executor.execute("one", ratio));
      return "ok";
    } catch (IllegalStateException e) {
      log.add("caught " + e.getMessage());
      return "recovered " + ratio;
    }
  }

  /** Two calls in a loop and a void call. */
  public void loop(Executor executor, Sink sink, List<String> requests) {
    for (String request : requests) {
      sink.accept(executor.execute(request, null));
    }
  }

  /** An uncaught failure passes through. */
  public String uncaught(Executor executor) {
    return executor.execute("boom", this);
  }
}
