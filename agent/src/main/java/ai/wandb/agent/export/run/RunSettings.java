package ai.wandb.agent.export.run;

import ai.wandb.agent.export.RunInfo;
import ai.wandb.agent.export.wandb.WandbSession;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user set for the run ({@code WANDB_NAME}, {@code WANDB_RUN_GROUP}, ...) and where it runs. */
public final class RunSettings {
  final String displayName;
  final String group;
  final List<String> tags;
  final String notes;
  final String program;
  private String host;

  /** {@code host} may be null: it is then looked up on first use, off the application's startup path. */
  public RunSettings(String displayName, String group, List<String> tags, String notes, String host, String program) {
    this.displayName = displayName;
    this.group = group;
    this.tags = tags;
    this.notes = notes;
    this.host = host;
    this.program = program;
  }

  String host() {
    if (host == null) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "unknown";
      }
    }
    return host;
  }

  /** The variables of the first {@code UpsertBucket}: every run parameter, entity null for the default. */
  Map<String, Object> firstUpsert(RunInfo run, WandbSession session, String configJson) {
    Map<String, Object> variables = new LinkedHashMap<String, Object>();
    variables.put("name", run.id());
    variables.put("project", session.project());
    variables.put("entity", session.configuredEntity());
    variables.put("displayName", displayName);
    variables.put("groupName", group);
    variables.put("notes", notes);
    variables.put("tags", tags == null || tags.isEmpty() ? null : tags);
    variables.put("host", host());
    variables.put("program", program);
    variables.put("config", configJson);
    return variables;
  }
}
