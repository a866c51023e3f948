package ai.wandb.agent.instrumentation.methods;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The application's own methods as spans, chosen by configuration: {@code wandb.trace.methods} names
 * them, {@code wandb.trace.annotations} names annotation types whose methods are traced. Nothing is
 * woven when both are unset.
 */
public final class MethodsInstrumentationModule implements InstrumentationModule {
  static final String METHODS_KEY = "wandb.trace.methods";
  static final String ANNOTATIONS_KEY = "wandb.trace.annotations";

  private final List<TypeInstrumentation> types = new ArrayList<TypeInstrumentation>();

  @Override
  public String name() {
    return "methods";
  }

  @Override
  public List<String> classLoaderMarkers() {
    return Collections.emptyList();
  }

  @Override
  public void configure(Function<String, Object> settings) {
    Object methods = settings.apply(METHODS_KEY);
    Map<String, Set<String>> methodsByClass = MethodList.parse(
        methods instanceof String ? (String) methods : null, METHODS_KEY, AgentLog::warn);
    if (!methodsByClass.isEmpty()) {
      final ConfiguredMethods configured = new ConfiguredMethods(methodsByClass);
      types.add(configured);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        for (String name : configured.neverLoaded()) {
          AgentLog.warn(METHODS_KEY + " names " + name + ", but no class loader loaded a class of that name"
              + " while this JVM ran; check the name (a binary name, e.g. com.acme.Outer$Inner)");
        }
      }, "wandb-agent-methods-check"));
    }
    Object annotations = settings.apply(ANNOTATIONS_KEY);
    if (annotations instanceof List && !((List<?>) annotations).isEmpty()) {
      List<String> names = new ArrayList<String>();
      for (Object name : (List<?>) annotations) {
        names.add(String.valueOf(name));
      }
      types.add(new AnnotatedMethods(names));
    }
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return types;
  }
}
