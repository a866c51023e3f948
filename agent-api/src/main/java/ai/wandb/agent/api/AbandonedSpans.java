package ai.wandb.agent.api;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends the span of an object the application dropped without finishing it (a stream neither read to
 * the end nor closed): when the object becomes phantom reachable, one daemon thread ends its span with
 * {@link Tracer#endUnfinished}. Java 8 has no {@code Cleaner}, hence a {@link ReferenceQueue} of our own.
 * The watched object must not be reachable from the span, or it would never be collected.
 */
public final class AbandonedSpans {
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<Object>();
  /** Keeps the references themselves reachable until they are enqueued or cancelled. */
  private static final Set<Watch> WATCHES = Collections.newSetFromMap(new ConcurrentHashMap<Watch, Boolean>());
  private static volatile boolean drainerStarted;

  private AbandonedSpans() {}

  /** Watches {@code owner}; {@link Watch#cancel()} once the span has ended normally. */
  public static Watch watch(Object owner, Span span, String why) {
    Watch watch = new Watch(owner, span, why);
    WATCHES.add(watch);
    if (!drainerStarted) {
      startDrainer();
    }
    return watch;
  }

  /** How many spans are watched now; tests use it to see that finished spans are forgotten. */
  public static int watched() {
    return WATCHES.size();
  }

  private static synchronized void startDrainer() {
    if (drainerStarted) {
      return;
    }
    Thread thread = new Thread(new Runnable() {
      @Override
      public void run() {
        drain();
      }
    }, "wandb-agent-abandoned-spans");
    thread.setDaemon(true);
    thread.start();
    drainerStarted = true;
  }

  private static void drain() {
    while (true) {
      try {
        Reference<?> reference = QUEUE.remove();
        if (reference instanceof Watch) {
          ((Watch) reference).abandoned();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable ignored) {
        // One bad span must not stop the others from being ended.
      }
    }
  }

  /** The registration of one watched object. */
  public static final class Watch extends PhantomReference<Object> {
    private final Span span;
    private final String why;

    private Watch(Object owner, Span span, String why) {
      super(owner, QUEUE);
      this.span = span;
      this.why = why;
    }

    /** The span ended normally: stop watching. */
    public void cancel() {
      WATCHES.remove(this);
      clear();
    }

    void abandoned() {
      if (WATCHES.remove(this)) {
        Tracer.endUnfinished(span, why);
      }
    }
  }
}
