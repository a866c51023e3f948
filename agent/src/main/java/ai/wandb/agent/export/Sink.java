package ai.wandb.agent.export;

import ai.wandb.agent.api.Span;
import java.util.List;

/**
 * One destination of traces. Called only from the exporter thread, with spans already rendered, so a
 * sink never needs locking and never runs on an application thread.
 */
public interface Sink {
  /** Short name for the start and exit lines: {@code file}, {@code weave}, {@code run}. */
  String name();

  /** Where the user looks, for the start line (a path or a URL); may be {@code null} until known. */
  String location();

  /**
   * Where the exit line points: {@link #location()}, or null when nothing is there to look at (no
   * trace was written), so that the last line the user reads never names a missing file.
   */
  default String exitLocation() {
    return location();
  }

  /** Whether this sink wants {@link #spanStarted} (live calls); others save the app thread the event. */
  boolean wantsStartEvents();

  /**
   * Called once when the exporter thread starts, i.e. with the first span, while the app's first call
   * is still running: what a sink sets up here (files, JSON machinery) is not on the path of a JVM
   * that exits right after that call.
   */
  default void prepare() throws Exception {}

  void spanStarted(Span span) throws Exception;

  /** Finished traces, each a root span whose tree has ended. */
  void export(List<Span> roots) throws Exception;

  /**
   * Called when the exporter waited a whole flush interval and no trace came: for work a sink holds
   * back between batches while traces keep coming.
   */
  default void idle() throws Exception {}

  /** Called at shutdown after the last export; must return within {@code timeoutMillis}, what is left of the bound. */
  void close(long timeoutMillis) throws Exception;

  /** A clause for the exit line about what this sink kept on disk or dropped; null when nothing. */
  String exitNote();
}
