package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.stainless.StainlessObjectsInstrumentation;
import ai.wandb.agent.api.stainless.StainlessSdk;
import ai.wandb.agent.api.stainless.StainlessServiceInstrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** com.openai:openai-java, 1.1.0 to 4.x. */
public final class OpenAiInstrumentationModule implements InstrumentationModule {
  static final StainlessSdk SDK = StainlessSdk.rootedAt("com.openai");

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // ObjectMappers is how spans read the SDK's objects; without it the module could not render them.
    // EvalService arrived in 1.1.0, the lowest version the module is tested against: a loader with the
    // client but without it holds a 0.x SDK, which runs untraced rather than with untested assumptions.
    return Arrays.asList("com.openai.client.OpenAIClient", "com.openai.core.ObjectMappers",
        "com.openai.services.blocking.EvalService");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    List<TypeInstrumentation> types = new ArrayList<TypeInstrumentation>();
    for (Map.Entry<String, List<OpenAiOperation>> service : OpenAiOperation.BY_SERVICE.entrySet()) {
      List<String> methods = OpenAiOperation.methodsOf(service.getKey());
      types.add(new StainlessServiceInstrumentation(SDK, OpenAiOperation.rawType(service.getKey()), methods, false,
          OpenAiCalls.INSTANCE));
      types.add(new StainlessServiceInstrumentation(SDK,
          OpenAiOperation.rawType(OpenAiOperation.asyncService(service.getKey())), methods, true,
          OpenAiCalls.INSTANCE));
    }
    types.addAll(StainlessObjectsInstrumentation.all(SDK));
    return types;
  }
}
