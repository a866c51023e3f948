package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.IdentityWeakMap;
import ai.wandb.agent.api.Reflect;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A library's own Reactor {@code Flux.deferContextual} or {@code Mono.deferContextual}, followed without
 * being replaced: the app keeps the object the library returned (its class, {@code toString()}, identity),
 * and a Flux or Mono the app builds on it is built on the library's. The defer's factory is remembered by
 * identity; inside the defer's {@code subscribe(CoreSubscriber)}, woven by {@link #subscribe}, the
 * follower's span is current while the subscription is set up (the library opens its call then), and
 * the publisher the factory makes for that subscription goes to the follower, whose answer the
 * subscription goes on with. Shared by the modules whose libraries return such defers (Spring AI's
 * models and ChatClient, the MCP async client).
 */
public final class FollowedDefers {
  /** What follows one defer. */
  public interface Follower {
    /** Current while a subscription is set up; null for none. */
    Span span();

    /** What the subscription goes on with, given what the factory made for it. */
    Object made(Object publisher);

    /** The factory threw: the subscription fails with it (Reactor passes it to the subscriber). */
    void failed(Throwable thrown);
  }

  /** By factory, which the defer holds; a follower must not refer to the factory, or the entry stays. */
  private static final IdentityWeakMap<Follower> BY_FACTORY = IdentityWeakMap.strongValues();
  /** Defer classes woven so far, by name, to the reader of their factory field. */
  private static final Map<String, Reflect.PrivateField> WOVEN = new ConcurrentHashMap<String, Reflect.PrivateField>();
  /**
   * Whether a factory class holds state. One without (a lambda that captures nothing) may be the one
   * instance behind every defer the library makes at that place, so it cannot tell a call's defer from
   * the next one's.
   */
  private static final ClassValue<Boolean> STATEFUL = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> declaring = type; declaring != null && declaring != Object.class; declaring = declaring.getSuperclass()) {
        for (Field field : declaring.getDeclaredFields()) {
          if (!Modifier.isStatic(field.getModifiers())) {
            return Boolean.TRUE;
          }
        }
      }
      return Boolean.FALSE;
    }
  };
  /** Set at the first follow: until then a subscribe does not look at the map (most apps' defers are their own). */
  private static volatile boolean anyFollowed;

  private FollowedDefers() {}

  /**
   * Follows {@code defer} from inside its own subscribe. False where that cannot be done: not a woven defer
   * class (Reactor in a loader the module does not reach, or not yet loaded), its factory unreadable or
   * without state, or followed already (the caller then observes it another way).
   */
  public static boolean follow(Object defer, Follower follower) {
    Reflect.PrivateField field = defer == null ? null : WOVEN.get(defer.getClass().getName());
    Object factory = field == null ? null : field.read(defer);
    if (factory == null || !STATEFUL.get(factory.getClass())) {
      return false;
    }
    synchronized (BY_FACTORY) {
      if (BY_FACTORY.get(factory) != null) {
        return false;
      }
      BY_FACTORY.put(factory, follower);
    }
    anyFollowed = true;
    return true;
  }

  private static Follower of(Object factory) {
    return anyFollowed ? BY_FACTORY.get(factory) : null;
  }

  /**
   * {@code subscribe(CoreSubscriber)} of one of Reactor's contextual defers, e.g.
   * {@code reactor.core.publisher.FluxDeferContextual} with its factory field
   * {@code contextualPublisherFactory}; any defer that is not followed passes untouched.
   */
  public static TypeInstrumentation subscribe(final String deferClass, final String factoryField) {
    return new TypeInstrumentation() {
      @Override
      public TypeMatcher typeMatcher() {
        return TypeMatcher.named(deferClass);
      }

      @Override
      public List<MethodAdvice> methodAdvice() {
        MethodMatcher subscribe = MethodMatcher.named("subscribe").takesArguments(1)
            .takesArgument(0, "reactor.core.CoreSubscriber");
        return Arrays.asList(
            new MethodAdvice(subscribe, new SubscribeHook(deferClass, factoryField)).readingFields(factoryField),
            MethodAdvice.aroundCalls(subscribe, "java.util.function.Function", "apply",
                "(Ljava/lang/Object;)Ljava/lang/Object;", new FactoryHook()));
      }
    };
  }

  /** The follower's span current while the subscription is set up. */
  static final class SubscribeHook implements MethodHook {
    private final String deferClass;
    private final String factoryField;

    SubscribeHook(String deferClass, String factoryField) {
      this.deferClass = deferClass;
      this.factoryField = factoryField;
    }

    @Override
    public void woven(HookSite site) {
      WOVEN.put(deferClass, new Reflect.PrivateField(factoryField));
    }

    @Override
    public Object enter(HookSite site, Object defer, Object[] arguments) {
      Follower follower = of(site.field(arguments, 0));
      Span span = follower == null ? null : follower.span();
      return span == null ? null : new Object[] {Tracer.attach(span)};
    }

    @Override
    public Object exit(HookSite site, Object state, Object defer, Object returned, Throwable thrown) {
      if (state != null) {
        Tracer.restore((Span) ((Object[]) state)[0]);
      }
      return returned;
    }
  }

  /** Around the defer's call of its factory: what it made goes to the follower. */
  static final class FactoryHook implements MethodHook {
    @Override
    public Object exit(HookSite site, Object state, Object factory, Object made, Throwable thrown) {
      Follower follower = of(factory);
      if (follower == null) {
        return made;
      }
      if (thrown != null) {
        follower.failed(thrown);
        return made;
      }
      return follower.made(made);
    }
  }
}
