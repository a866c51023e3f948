package ai.wandb.agent.export.wandb;

/** What {@code UpsertBucket} answers that a client uses: the canonical names and the history offset. */
public final class Bucket {
  final String storageId;
  final String runId;
  final String displayName;
  final String project;
  final String entity;
  final long historyLineCount;

  Bucket(String storageId, String runId, String displayName, String project, String entity, long historyLineCount) {
    this.storageId = storageId;
    this.runId = runId;
    this.displayName = displayName;
    this.project = project;
    this.entity = entity;
    this.historyLineCount = historyLineCount;
  }

  public String storageId() {
    return storageId;
  }

  public String runId() {
    return runId;
  }

  public String displayName() {
    return displayName;
  }

  public String project() {
    return project;
  }

  public String entity() {
    return entity;
  }

  public long historyLineCount() {
    return historyLineCount;
  }
}
