package ai.wandb.agent.api.instrumentation;

import java.util.ArrayList;
import java.util.List;

/** Methods of the shapes the weaver must handle; {@link WeaverTest} weaves a copy of this class. */
public class WovenFixture {
  private final String prefix;
  private final List<String> log = new ArrayList<>();

  public WovenFixture(String prefix) {
    this.prefix = prefix;
    log.add("constructed");
  }

  public String greet(String name, int times, long big, double ratio) {
    StringBuilder out = new StringBuilder(prefix);
    for (int i = 0; i < times; i++) {
      out.append(name);
    }
    return out.append(big).append(ratio).toString();
  }

  public static int add(int a, int b) {
    return a + b;
  }

  public void fail(String message) {
    throw new IllegalStateException(message);
  }

  /** Throws and catches inside its body: its own handler must win over the woven one. */
  public String recover(String message) {
    try {
      if (message.isEmpty()) {
        return "empty";
      }
      throw new IllegalArgumentException(message);
    } catch (IllegalArgumentException e) {
      return "recovered " + e.getMessage();
    }
  }

  /** Stores into its argument slot a value of another type: the woven handler must not assume the slot's type. */
  public Object reuse(Object value) {
    value = value == null ? (Object) 42 : value.toString();
    return value;
  }

  public void record(String entry) {
    log.add(entry);
  }

  public List<String> log() {
    return log;
  }
}
