package ai.wandb.agent.api.instrumentation;

import java.util.List;
import java.util.function.BooleanSupplier;

/** Methods of the shapes bridged weaving must handle; {@link BridgedWeavingTest} weaves a copy of this class. */
public class BridgeFixture {
  final List<String> log;

  public BridgeFixture(List<String> log) {
    super();
    this.log = log;
    log.add("constructed");
  }

  public void hand(long wide, Runnable task) {
    log.add("hand " + wide);
  }

  public void runIt(Runnable task) {
    log.add("start");
    task.run();
    log.add("end");
  }

  /** Its own handler covers the call: the woven restore must still run first. */
  public String runCaught(Runnable task, double ratio) {
    long count = 0;
    for (int i = 0; i < 2; i++) {
      try {
        task.run();
        count++;
      } catch (IllegalStateException e) {
        log.add("caught " + e.getMessage());
      }
    }
    return count + " " + ratio;
  }

  public boolean test(BooleanSupplier condition, long wide) {
    boolean result = condition.getAsBoolean();
    return result && wide > 0;
  }

  /** The call's result is an argument of another call: not a statement of its own. */
  public void nested(BooleanSupplier condition) {
    log.add(String.valueOf(condition.getAsBoolean()));
  }
}
