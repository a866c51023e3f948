package ai.wandb.agent.export;

import ai.wandb.agent.api.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread per network sink, so a slow or failing server never holds up the exporter thread
 * (or the other sinks). The sink offers prepared items; the worker hands them over in batches and
 * ticks at a fixed interval for time-driven work (flushes, heartbeats, samples). The thread starts
 * with the first item.
 */
public final class SinkWorker {
  /** The sink's side; every method runs on the worker thread only. */
  public interface Handler {
    void onItems(List<Object> items) throws Exception;

    void onTick() throws Exception;

    /** Last call, after everything offered was handed over. */
    void onClose() throws Exception;
  }

  /** A spool's sender: on every wake-up it replays what is due; at close, whatever the backoff says. */
  public interface Replay {
    void replay(boolean closing) throws Exception;
  }

  /** The handler of a sender thread whose only work is {@link Replay}: kicks and ticks alike. */
  public static Handler replaying(final Replay replay) {
    return new Handler() {
      @Override
      public void onItems(List<Object> kicks) throws Exception {
        replay.replay(false);
      }

      @Override
      public void onTick() throws Exception {
        replay.replay(false);
      }

      @Override
      public void onClose() throws Exception {
        replay.replay(true);
      }
    };
  }

  /** Wakes the worker at close without interrupting a request in flight. */
  private static final Object WAKE = new Object();

  private final String threadName;
  private final Handler handler;
  private final long tickMillis;
  private final BlockingQueue<Object> queue;
  private final Object lock = new Object();
  private volatile boolean closing;
  private Thread thread;
  private long dropped;

  public SinkWorker(String threadName, int capacity, long tickMillis, Handler handler) {
    this.threadName = threadName;
    this.handler = handler;
    this.tickMillis = tickMillis;
    this.queue = new ArrayBlockingQueue<Object>(capacity);
  }

  /** Queues an item; false (and counted) when the queue is full or the worker is closing. */
  public boolean offer(Object item) {
    ensureStarted();
    if (closing || !queue.offer(item)) {
      synchronized (lock) {
        dropped++;
      }
      return false;
    }
    return true;
  }

  public long dropped() {
    synchronized (lock) {
      return dropped;
    }
  }

  public boolean started() {
    synchronized (lock) {
      return thread != null;
    }
  }

  private void ensureStarted() {
    synchronized (lock) {
      if (thread != null || closing) {
        return;
      }
      thread = new Thread(new Runnable() {
        @Override
        public void run() {
          loop();
        }
      }, threadName);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void loop() {
    long nextTick = System.currentTimeMillis() + tickMillis;
    List<Object> batch = new ArrayList<Object>();
    while (!closing) {
      try {
        Object first = queue.poll(Math.max(1, nextTick - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch);
          batch.remove(WAKE);
          if (!batch.isEmpty()) {
            handler.onItems(batch);
          }
          batch.clear();
        }
        if (System.currentTimeMillis() >= nextTick) {
          handler.onTick();
          nextTick = System.currentTimeMillis() + tickMillis;
        }
      } catch (InterruptedException e) {
        break;
      } catch (Throwable t) {
        batch.clear();
        AgentLog.debug(threadName + ": " + t);
      }
    }
    try {
      queue.drainTo(batch);
      batch.remove(WAKE);
      if (!batch.isEmpty()) {
        handler.onItems(batch);
      }
      handler.onClose();
    } catch (Throwable t) {
      AgentLog.debug(threadName + " closing: " + t);
    }
  }

  /** Hands over what is queued, lets the handler finish, and waits at most {@code timeoutMillis}. */
  public void close(long timeoutMillis) {
    Thread running;
    synchronized (lock) {
      closing = true;
      running = thread;
    }
    if (running == null) {
      return;
    }
    queue.offer(WAKE);
    try {
      running.join(Math.max(1, timeoutMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
