package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.Tracer;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The supplier a module gives Reactor's {@code Flux.defer} or {@code Mono.defer} (called by reflection) to
 * hand out the publisher it observes: with {@link #subscribe} woven into that defer class, the span is
 * current while the app's subscription is set up, which is when Reactor does the work (Spring AI builds
 * its advisor chain and calls the model, WebFlux handles the request), often after the call returned.
 */
public final class ScopedDefer implements Supplier<Object> {
  private final Span span;
  private final Object observed;

  public ScopedDefer(Span span, Object observed) {
    this.span = span;
    this.observed = observed;
  }

  @Override
  public Object get() {
    return observed;
  }

  /** {@code subscribe(CoreSubscriber)} of one of Reactor's defer classes, e.g. {@code reactor.core.publisher.FluxDefer}. */
  public static TypeInstrumentation subscribe(final String deferClass) {
    return new TypeInstrumentation() {
      @Override
      public TypeMatcher typeMatcher() {
        return TypeMatcher.named(deferClass);
      }

      @Override
      public List<MethodAdvice> methodAdvice() {
        return Collections.singletonList(new MethodAdvice(
            MethodMatcher.named("subscribe").takesArguments(1).takesArgument(0, "reactor.core.CoreSubscriber"),
            new SubscribeHook()).readingFields("supplier"));
      }
    };
  }

  /** Only for this class's suppliers; any other defer passes untouched. */
  static final class SubscribeHook implements MethodHook {
    @Override
    public Object enter(HookSite site, Object self, Object[] arguments) {
      Object supplier = site.field(arguments, 0);
      if (!(supplier instanceof ScopedDefer)) {
        return null;
      }
      return new Object[] {Tracer.attach(((ScopedDefer) supplier).span)};
    }

    @Override
    public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
      if (state != null) {
        Tracer.restore((Span) ((Object[]) state)[0]);
      }
      return returned;
    }
  }
}
