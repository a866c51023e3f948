package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

class ReactorSignalsTest {
  /** Records the callbacks in {@code events}; with {@code failing}, each then throws. */
  static final class Recorder extends ReactorSignals {
    final List<String> events;
    final boolean failing;

    Recorder(List<String> events, boolean failing) {
      this.events = events;
      this.failing = failing;
    }

    private void record(String event) {
      events.add("signal " + event);
      if (failing) {
        throw new IllegalStateException("the agent's callback failed at " + event);
      }
    }

    @Override
    protected void onSubscribe() {
      record("subscribe");
    }

    @Override
    protected void onNext(Object item) {
      record("next " + item);
    }

    @Override
    protected void onError(Throwable error) {
      record("error " + error.getMessage());
    }

    @Override
    protected void onComplete() {
      record("complete");
    }

    @Override
    protected void onCancel() {
      record("cancel");
    }
  }

  /** The app's subscriber: records what it gets, requests {@code requested} at subscription, cancels after {@code cancelAfter} items. */
  static class App implements CoreSubscriber<Object> {
    final List<String> events;
    final long requested;
    final int cancelAfter;
    final Context context;
    Subscription subscription;
    Throwable error;
    int items;

    App(List<String> events, long requested, int cancelAfter, Context context) {
      this.events = events;
      this.requested = requested;
      this.cancelAfter = cancelAfter;
      this.context = context;
    }

    @Override
    public Context currentContext() {
      return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      events.add("app subscribe");
      s.request(requested);
    }

    @Override
    public void onNext(Object item) {
      events.add("app next " + item);
      if (++items == cancelAfter) {
        subscription.cancel();
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      events.add("app error " + t.getMessage());
    }

    @Override
    public void onComplete() {
      events.add("app complete");
    }
  }

  private static App subscribe(Object observed, List<String> events, long requested, int cancelAfter, Context context) {
    App app = new App(events, requested, cancelAfter, context);
    ((Publisher<?>) observed).subscribe(app);
    return app;
  }

  @Test
  void eachSignalReachesTheCallbacksThenTheAppInOrder() {
    List<String> events = new ArrayList<>();
    Object observed = new Recorder(events, false).observed(Flux.just(1, 2, 3));
    assertInstanceOf(Flux.class, observed);
    subscribe(observed, events, Long.MAX_VALUE, 0, Context.empty());
    assertEquals(Arrays.asList("signal subscribe", "app subscribe", "signal next 1", "app next 1", "signal next 2",
        "app next 2", "signal next 3", "app next 3", "signal complete", "app complete"), events);
  }

  @Test
  void theAppGetsTheErrorItself() {
    List<String> events = new ArrayList<>();
    IllegalStateException thrown = new IllegalStateException("down");
    App app = subscribe(new Recorder(events, false).observed(Flux.concat(Flux.just("a"), Flux.error(thrown))), events,
        Long.MAX_VALUE, 0, Context.empty());
    assertSame(thrown, app.error);
    assertEquals(Arrays.asList("signal subscribe", "app subscribe", "signal next a", "app next a", "signal error down",
        "app error down"), events);
  }

  @Test
  void requestsAndCancelGoUpAfterTheCallbacks() {
    List<String> events = new ArrayList<>();
    Flux<Integer> upstream = Flux.range(1, 10)
        .doOnRequest(n -> events.add("upstream request " + n))
        .doOnCancel(() -> events.add("upstream cancel"));
    subscribe(new Recorder(events, false).observed(upstream), events, 2, 2, Context.empty());
    assertEquals(Arrays.asList("signal subscribe", "app subscribe", "upstream request 2", "signal next 1", "app next 1",
        "signal next 2", "app next 2", "signal cancel", "upstream cancel"), events);
  }

  @Test
  void failingCallbacksNeverReachTheApp() {
    List<String> events = new ArrayList<>();
    App app = subscribe(new Recorder(events, true).observed(Flux.just(1, 2)), events, Long.MAX_VALUE, 0, Context.empty());
    assertNull(app.error);
    assertEquals(Arrays.asList("signal subscribe", "app subscribe", "signal next 1", "app next 1", "signal next 2",
        "app next 2", "signal complete", "app complete"), events);
    events.clear();
    subscribe(new Recorder(events, true).observed(Flux.range(1, 5)), events, 1, 1, Context.empty());
    assertEquals(Arrays.asList("signal subscribe", "app subscribe", "signal next 1", "app next 1", "signal cancel"), events);
  }

  @Test
  void theUpstreamSeesTheAppsContext() {
    List<String> events = new ArrayList<>();
    Flux<Object> upstream = Flux.deferContextual(context -> Flux.just(context.<String>get("key")));
    subscribe(new Recorder(events, false).observed(upstream), events, Long.MAX_VALUE, 0, Context.of("key", "value"));
    assertTrue(events.contains("app next value"), events.toString());
  }

  /**
   * The stack under the app's onNext, and an exception thrown there as printed, are the same as without the
   * observer; also below a conditional subscriber ({@code filter}'s), for which the operators above pick
   * their conditional subscribers ({@code map}'s {@code MapConditionalSubscriber}). (The source is no
   * {@code Fuseable}; for one that is, see the next test.)
   */
  @Test
  void noFrameIsAddedUnderTheAppsSubscriber() {
    Flux<Integer> source = Flux.range(1, 1).hide().map(i -> i + 1);
    for (boolean conditional : new boolean[] {false, true}) {
      List<StackTraceElement[]> stacks = new ArrayList<>();
      List<String> printed = new ArrayList<>();
      // Both from the same line, so that the test's own frames are the same.
      for (Object publisher : new Object[] {source, new Recorder(new ArrayList<>(), false).observed(source)}) {
        Flux<?> flux = conditional ? Flux.from((Publisher<?>) publisher).filter(item -> true) : Flux.from((Publisher<?>) publisher);
        stacks.add(stackInOnNext(flux));
        printed.add(printedFailureInOnNext(flux));
      }
      assertArrayEquals(stacks.get(0), stacks.get(1));
      assertEquals(printed.get(0), printed.get(1));
      assertEquals(conditional, Arrays.stream(stacks.get(0)).anyMatch(frame -> frame.getClassName().endsWith("$MapConditionalSubscriber")));
    }
  }

  private static StackTraceElement[] stackInOnNext(Object publisher) {
    AtomicReference<StackTraceElement[]> stack = new AtomicReference<>();
    Flux.from((Publisher<?>) publisher).subscribe(item -> stack.set(new Throwable().getStackTrace()));
    return stack.get();
  }

  private static String printedFailureInOnNext(Object publisher) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    Flux.from((Publisher<?>) publisher).subscribe(item -> {
      throw new IllegalStateException("the app's subscriber failed");
    }, error::set);
    StringWriter printed = new StringWriter();
    error.get().printStackTrace(new PrintWriter(printed));
    return printed.toString();
  }

  /**
   * Over a fuseable source the observed Flux is fuseable too: the operators assembled on it are the same
   * fuseable kind ({@code map}'s {@code MapFuseableSubscriber}, also conditional below a filter), with the
   * same stack under the app's onNext and the same failure printed.
   */
  @Test
  void overAFuseableSourceTheFuseableOperatorsAreTheSame() {
    Flux<Integer> source = Flux.range(1, 1).map(i -> i + 1);
    for (boolean conditional : new boolean[] {false, true}) {
      List<StackTraceElement[]> stacks = new ArrayList<>();
      List<String> printed = new ArrayList<>();
      for (Object publisher : new Object[] {source, new Recorder(new ArrayList<>(), false).observed(source)}) {
        assertInstanceOf(Fuseable.class, publisher);
        Flux<?> mapped = Flux.from((Publisher<?>) publisher).map(i -> i);
        Flux<?> flux = conditional ? mapped.filter(item -> true) : mapped;
        stacks.add(stackInOnNext(flux));
        printed.add(printedFailureInOnNext(flux));
      }
      assertArrayEquals(stacks.get(0), stacks.get(1));
      assertEquals(printed.get(0), printed.get(1));
      String subscriber = conditional ? "$MapFuseableConditionalSubscriber" : "$MapFuseableSubscriber";
      assertTrue(Arrays.stream(stacks.get(1)).anyMatch(frame -> frame.getClassName().endsWith(subscriber)),
          Arrays.toString(stacks.get(1)));
    }
  }

  /** The app's subscriber fusing by itself, synchronously: polls until null, or until the queue is empty. */
  static final class SyncFusing implements CoreSubscriber<Object> {
    final List<String> events;
    final boolean untilEmpty;
    int granted = -1;

    SyncFusing(List<String> events, boolean untilEmpty) {
      this.events = events;
      this.untilEmpty = untilEmpty;
    }

    @Override
    public void onSubscribe(Subscription s) {
      @SuppressWarnings("unchecked")
      Fuseable.QueueSubscription<Object> queue = (Fuseable.QueueSubscription<Object>) s;
      granted = queue.requestFusion(Fuseable.SYNC);
      for (Object item; (untilEmpty ? !queue.isEmpty() : true) && (item = queue.poll()) != null; ) {
        events.add("app polled " + item);
      }
      if (untilEmpty) {
        assertNull(queue.poll());
      }
      events.add("app done");
    }

    @Override
    public void onNext(Object item) {
      events.add("app next " + item);
    }

    @Override
    public void onError(Throwable t) {
      events.add("app error " + t.getMessage());
    }

    @Override
    public void onComplete() {
      events.add("app complete");
    }
  }

  @Test
  void synchronousFusionPassesThroughAndEachPolledItemIsANext() {
    for (boolean untilEmpty : new boolean[] {false, true}) {
      List<String> events = new ArrayList<>();
      SyncFusing app = new SyncFusing(events, untilEmpty);
      ((Publisher<?>) new Recorder(events, false).observed(Flux.range(1, 2))).subscribe(app);
      assertEquals(Fuseable.SYNC, app.granted);
      assertEquals(Arrays.asList("signal subscribe", "signal next 1", "app polled 1", "signal next 2", "app polled 2",
          "signal complete", "app done"), events);
    }
  }

  @Test
  void aFailingPollIsAnErrorAndTheAppGetsTheException() {
    List<String> events = new ArrayList<>();
    IllegalStateException thrown = new IllegalStateException("mapper failed");
    Flux<Integer> failing = Flux.range(1, 2).map(i -> {
      if (i == 2) {
        throw thrown;
      }
      return i;
    });
    AtomicReference<Throwable> caught = new AtomicReference<>();
    ((Publisher<?>) new Recorder(events, false).observed(failing)).subscribe(new CoreSubscriber<Object>() {
      @Override
      public void onSubscribe(Subscription s) {
        @SuppressWarnings("unchecked")
        Fuseable.QueueSubscription<Object> queue = (Fuseable.QueueSubscription<Object>) s;
        assertEquals(Fuseable.SYNC, queue.requestFusion(Fuseable.SYNC));
        try {
          while (queue.poll() != null) {
            events.add("app polled");
          }
        } catch (Throwable e) {
          caught.set(e);
        }
      }

      @Override
      public void onNext(Object item) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onComplete() {}
    });
    assertSame(thrown, caught.get());
    assertEquals(Arrays.asList("signal subscribe", "signal next 1", "app polled", "signal error mapper failed"), events);
  }

  /** Asynchronous fusion (a publishOn below another): each item is a next once, never the "poll now" onNext. */
  @Test
  void asynchronousFusionSignalsEachItemOnce() {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Flux<Integer> source = Flux.range(1, 3).publishOn(Schedulers.single());
    Object observed = new Recorder(events, false).observed(source);
    assertInstanceOf(Fuseable.class, observed);
    List<?> items = Flux.from((Publisher<?>) observed).publishOn(Schedulers.immediate())
        .collectList().block();
    assertEquals(Arrays.asList(1, 2, 3), items);
    assertEquals(Arrays.asList("signal subscribe", "signal next 1", "signal next 2", "signal next 3", "signal complete"),
        events);
  }

  @Test
  void itsSubscriptionClaimsNoFusionAndScansAsReactorsOperatorsDo() {
    List<String> events = new ArrayList<>();
    Flux<Integer> upstream = Flux.range(1, 3).hide();
    Object observed = new Recorder(events, false).observed(upstream);
    assertTrue(observed.getClass().isHidden());
    assertEquals("reactor.core.publisher", observed.getClass().getPackageName());
    assertFalse(observed instanceof Fuseable);
    App app = subscribe(observed, events, 0, 0, Context.empty());
    assertFalse(app.subscription instanceof Fuseable.QueueSubscription);
    Scannable scanned = Scannable.from(app.subscription);
    assertSame(app, scanned.scanUnsafe(Scannable.Attr.ACTUAL));
    Object parent = scanned.scanUnsafe(Scannable.Attr.PARENT);
    assertNotNull(parent);
    assertEquals(parent.toString(), app.subscription.toString());
    assertEquals(Scannable.Attr.RunStyle.SYNC, scanned.scan(Scannable.Attr.RUN_STYLE));
    assertSame(upstream, Scannable.from(observed).scanUnsafe(Scannable.Attr.PARENT));
  }

  @Test
  void aMonoStaysAMono() {
    List<String> events = new ArrayList<>();
    Object observed = new Recorder(events, false).observed(Mono.just("one"));
    assertInstanceOf(Mono.class, observed);
    assertEquals("one", ((Mono<?>) observed).block());
    assertEquals(Arrays.asList("signal subscribe", "signal next one", "signal complete"), events);
  }

  @Test
  void whatIsNoReactorPublisherIsNotObserved() {
    assertNull(new Recorder(new ArrayList<>(), false).observed("not a publisher"));
    assertNull(new Recorder(new ArrayList<>(), false).observed(null));
  }
}
