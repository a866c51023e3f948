package ai.wandb.agent.api.instrumentation;

import java.util.List;
import java.util.function.Function;

/**
 * One instrumented library. Found by the agent through {@link java.util.ServiceLoader}; switched off
 * with {@code wandb.instrumentation.<name>.enabled=false}.
 */
public interface InstrumentationModule {
  /** Short name used in configuration keys and debug lines, e.g. {@code openai}. */
  String name();

  /**
   * Classes that must all be visible from a class loader before any type on it is matched: the cheap
   * gate that keeps matching off loaders that do not have the library.
   */
  List<String> classLoaderMarkers();

  List<TypeInstrumentation> typeInstrumentations();

  /**
   * Called once, before {@link #typeInstrumentations()}, by modules whose rules come from configuration
   * (methods named by the user): {@code settings} gives the resolved value of a declared key by its
   * canonical name, e.g. {@code wandb.trace.methods}, or null when it is unset.
   */
  default void configure(Function<String, Object> settings) {}
}
