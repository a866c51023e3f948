package ai.wandb.agent.config;

import ai.wandb.agent.api.AgentLog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Prints each configuration problem as one warning line the moment it is found, and keeps it. */
final class Problems {
  private final List<String> lines = new ArrayList<>();

  void report(String line) {
    AgentLog.warn(line);
    lines.add(line);
  }

  List<String> lines() {
    return Collections.unmodifiableList(new ArrayList<>(lines));
  }
}
