package ai.wandb.agent.bootstrap;

import ai.wandb.agent.config.AgentConfig;
import ai.wandb.agent.config.Keys;
import ai.wandb.agent.export.run.RunReplay;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.weave.WeaveSync;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code java -jar wandb-agent.jar sync [dir]}: uploads spooled Weave calls and W&B run history rows with the agent's own
 * configuration (WANDB_API_KEY, WANDB_BASE_URL, WF_TRACE_SERVER_URL, WANDB_PROJECT, ...), like
 * {@code wandb sync}. Exit status 0 when everything went up, 1 when something is left, 2 on a usage error.
 */
final class SpoolSync {
  private SpoolSync() {}

  static int run(String dirArgument, final PrintStream out, PrintStream err) {
    AgentConfig config = AgentConfig.load("", System.getenv(), System.getProperties(),
        Paths.get(System.getProperty("user.home", ".")));
    Path root = dirArgument != null ? Paths.get(dirArgument) : Sinks.spoolRoot(config);
    Path weave = root.resolve("weave");
    if (!Files.isDirectory(weave) && root.getFileName() != null && "weave".equals(root.getFileName().toString())) {
      weave = root;
    }
    Path runs = root.resolve("run");
    if (!Files.isDirectory(runs) && root.getFileName() != null && "run".equals(root.getFileName().toString())) {
      runs = root;
    }
    boolean hasRuns = !RunReplay.runDirs(runs).isEmpty();
    if (!Files.isDirectory(weave) && !hasRuns) {
      // Nothing to do is success; only a folder the user named that does not exist is a mistake to report.
      if (dirArgument != null && !Files.isDirectory(root)) {
        err.println("wandb-agent sync: no such folder: " + root);
        return 2;
      }
      err.println("wandb-agent sync: nothing to upload: no spool at " + weave);
      return 0;
    }
    if (config.apiKey() == null) {
      err.println("wandb-agent sync: no API key (set WANDB_API_KEY or add W&B to ~/.netrc); nothing uploaded");
      return 1;
    }
    WandbSession session = Sinks.session(config);
    int status = Files.isDirectory(weave) ? weave(config, session, weave, out) : 0;
    if (hasRuns) {
      out.println("wandb-agent sync: " + RunReplay.runDirs(runs).size() + " W&B run(s) with spooled history in " + runs);
      RunReplay.Result result = RunReplay.replayLeftovers(session, runs, null, config.get(Keys.SPOOL_MAX_BYTES), 3);
      out.println("wandb-agent sync: uploaded " + result.rows + " history row(s)"
          + (result.problem != null ? "; some left in " + runs + " (" + result.problem + ")" : ""));
      status = result.problem != null ? 1 : status;
    }
    return status;
  }

  private static int weave(AgentConfig config, WandbSession session, Path weave, final PrintStream out) {
    Spool spool = new Spool(weave, config.get(Keys.SPOOL_MAX_BYTES));
    int total = spool.segments().size();
    out.println("wandb-agent sync: " + total + " Weave batch(es) in " + weave);
    WeaveSync.Result result = WeaveSync.upload(session, spool, new WeaveSync.Progress() {
      @Override
      public void segmentDone(int done, int all, long items) {
        out.println("  uploaded " + done + "/" + all + " batch(es), " + items + " call item(s)");
      }
    });
    String where = result.tracesUrl != null ? " to " + result.tracesUrl : "";
    out.println("wandb-agent sync: uploaded " + result.items + " call item(s)" + where
        + (result.refused > 0 ? "; " + result.refused + " refused by the server" : "")
        + (result.left > 0 ? "; " + result.left + " batch(es) left in " + weave + " (" + result.problem + ")" : ""));
    return result.left > 0 || result.refused > 0 ? 1 : 0;
  }
}
