package ai.wandb.agent.testing;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanListener;
import ai.wandb.agent.api.Tracer;
import ai.wandb.agent.api.instrumentation.Installer;
import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The agent's instrumentation installed into the test JVM, as premain would install it, with a
 * listener that renders finished traces the way the exporter thread does.
 */
public final class AgentHarness implements SpanListener {
  private static AgentHarness installed;

  private final LinkedBlockingDeque<Span> traces = new LinkedBlockingDeque<>();

  private AgentHarness() {}

  /** Installs the modules once per JVM (instrumentation cannot be cleanly taken back out). */
  public static synchronized AgentHarness install(InstrumentationModule... modules) {
    if (installed == null) {
      installed = new AgentHarness();
      Installer.install(ByteBuddyAgent.install(), List.of(modules));
    }
    Tracer.setListener(installed);
    installed.traces.clear();
    return installed;
  }

  @Override
  public void onStart(Span span) {}

  @Override
  public void onTraceEnd(Span root) {
    for (Span span : flatten(root)) {
      span.renderEnd();
    }
    traces.add(root);
  }

  /** The next finished trace, waiting up to {@code timeout} for asynchronous work to end. */
  public Span nextTrace(Duration timeout) throws InterruptedException {
    Span root = traces.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (root == null) {
      throw new AssertionError("no trace finished within " + timeout);
    }
    return root;
  }

  public Deque<Span> finishedTraces() {
    return traces;
  }

  public static List<Span> flatten(Span root) {
    List<Span> out = new ArrayList<>();
    out.add(root);
    for (Span child : root.children()) {
      out.addAll(flatten(child));
    }
    return out;
  }
}
