package ai.wandb.agent.instrumentation.anthropic;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import ai.wandb.agent.api.stainless.StainlessObjectsInstrumentation;
import ai.wandb.agent.api.stainless.StainlessSdk;
import ai.wandb.agent.api.stainless.StainlessServiceInstrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** com.anthropic:anthropic-java, 2.x and 3.x, over every client (OkHttp, Bedrock, Vertex, Foundry). */
public final class AnthropicInstrumentationModule implements InstrumentationModule {
  static final StainlessSdk SDK = StainlessSdk.rootedAt("com.anthropic");

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // ObjectMappers is how spans read the SDK's objects. Backend arrived in 2.0.0, the lowest version
    // the module is tested against: a loader without it holds a 1.x SDK, which runs untraced.
    return Arrays.asList("com.anthropic.client.AnthropicClient", "com.anthropic.core.ObjectMappers",
        "com.anthropic.backends.Backend");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    List<TypeInstrumentation> types = new ArrayList<TypeInstrumentation>();
    for (Map.Entry<String, List<String>> service : AnthropicOperation.BY_SERVICE.entrySet()) {
      List<String> methods = service.getValue();
      types.add(new StainlessServiceInstrumentation(SDK, AnthropicOperation.rawType(service.getKey()), methods,
          false, AnthropicCalls.INSTANCE));
      types.add(new StainlessServiceInstrumentation(SDK,
          AnthropicOperation.rawType(AnthropicOperation.asyncService(service.getKey())), methods, true,
          AnthropicCalls.INSTANCE));
    }
    types.addAll(StainlessObjectsInstrumentation.all(SDK));
    return types;
  }
}
