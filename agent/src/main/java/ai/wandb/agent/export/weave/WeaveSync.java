package ai.wandb.agent.export.weave;

import ai.wandb.agent.export.spool.Owners;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Uploads a Weave spool left by earlier runs (offline, or W&B unreachable), oldest segment first. */
public final class WeaveSync {
  /** Told after each segment, for the progress line. */
  public interface Progress {
    void segmentDone(int done, int total, long items);
  }

  /** What {@link #upload} did: items taken by the server, segments left on disk, and why they were left. */
  public static final class Result {
    public final long items;
    public final long refused;
    public final int left;
    public final String problem;
    public final String tracesUrl;

    Result(long items, long refused, int left, String problem, String tracesUrl) {
      this.items = items;
      this.refused = refused;
      this.left = left;
      this.problem = problem;
      this.tracesUrl = tracesUrl;
    }
  }

  private WeaveSync() {}

  public static Result upload(WandbSession session, Spool spool, Progress progress) {
    WeaveDelivery delivery = new WeaveDelivery(session, new WeaveClient(session.http(), session.traceServerUrl()),
        spool, new Owners(spool.dir()));
    List<Path> segments = spool.segments();
    long items = 0;
    int done = 0;
    for (Path segment : segments) {
      List<byte[]> entries;
      try {
        entries = Spool.readLines(segment);
      } catch (IOException e) {
        return new Result(items, delivery.refused(), segments.size() - done, e.toString(), delivery.tracesUrl());
      }
      WeaveClient.Outcome outcome = delivery.send(entries);
      if (outcome != WeaveClient.Outcome.SENT && outcome != WeaveClient.Outcome.REFUSED) {
        return new Result(items, delivery.refused(), segments.size() - done, delivery.problem(), delivery.tracesUrl());
      }
      spool.delete(segment);
      items += entries.size();
      done++;
      progress.segmentDone(done, segments.size(), items);
    }
    WeaveClient.Outcome abandoned = delivery.completeAbandoned(false);
    if (abandoned != WeaveClient.Outcome.SENT && abandoned != WeaveClient.Outcome.REFUSED) {
      return new Result(items, delivery.refused(), 0, delivery.problem(), delivery.tracesUrl());
    }
    return new Result(items, delivery.refused(), 0, null, delivery.tracesUrl());
  }
}
