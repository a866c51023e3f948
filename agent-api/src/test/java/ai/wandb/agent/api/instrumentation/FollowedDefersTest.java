package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FollowedDefersTest {
  /** Stands in for Reactor's contextual defer: a final factory field read by name. */
  static final class Defer {
    final Function<Object, Object> factory;

    Defer(Function<Object, Object> factory) {
      this.factory = factory;
    }
  }

  /** A defer class nothing wove. */
  static final class Unwoven {
    final Function<Object, Object> factory;

    Unwoven(Function<Object, Object> factory) {
      this.factory = factory;
    }
  }

  static final class Recorder implements FollowedDefers.Follower {
    final List<Object> made = new ArrayList<>();
    final List<Throwable> failed = new ArrayList<>();

    @Override
    public Span span() {
      return null;
    }

    @Override
    public Object made(Object publisher) {
      made.add(publisher);
      return "followed " + publisher;
    }

    @Override
    public void failed(Throwable thrown) {
      failed.add(thrown);
    }
  }

  @BeforeAll
  static void weave() {
    new FollowedDefers.SubscribeHook(Defer.class.getName(), "factory").woven(null);
  }

  private static Function<Object, Object> capturing(String call) {
    return context -> call + " in " + context;
  }

  @Test
  void whatTheFactoryOfAFollowedDeferMakesGoesToItsFollowerAndOtherDefersPassUntouched() {
    Function<Object, Object> factory = capturing("call 1");
    Function<Object, Object> other = capturing("call 2");
    Recorder follower = new Recorder();
    assertTrue(FollowedDefers.follow(new Defer(factory), follower));
    FollowedDefers.FactoryHook hook = new FollowedDefers.FactoryHook();

    assertEquals("followed made", hook.exit(null, null, factory, "made", null));
    assertSame("untouched", hook.exit(null, null, other, "untouched", null));
    IllegalStateException thrown = new IllegalStateException("factory failed");
    assertEquals(null, hook.exit(null, null, factory, null, thrown));

    assertEquals(List.of("made"), follower.made);
    assertEquals(List.of(thrown), follower.failed);
  }

  @Test
  void aDeferIsFollowedOnceAClassNothingWoveAndAFactoryWithoutStateNotAtAll() {
    Function<Object, Object> factory = capturing("call 3");
    assertTrue(FollowedDefers.follow(new Defer(factory), new Recorder()));
    assertFalse(FollowedDefers.follow(new Defer(factory), new Recorder()), "followed already");
    assertFalse(FollowedDefers.follow(new Unwoven(capturing("call 4")), new Recorder()), "not woven");
    // A lambda that captures nothing may be the one factory behind every defer made at that place.
    assertFalse(FollowedDefers.follow(new Defer(context -> context), new Recorder()), "stateless factory");
    assertFalse(FollowedDefers.follow(null, new Recorder()));
  }
}
