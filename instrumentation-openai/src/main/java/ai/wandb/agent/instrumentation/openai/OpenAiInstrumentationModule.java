package ai.wandb.agent.instrumentation.openai;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** com.openai:openai-java, 1.1.0 to 4.x. */
public final class OpenAiInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "openai";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // ObjectMappers is how spans read the SDK's objects; without it the module could not render them.
    return Arrays.asList("com.openai.client.OpenAIClient", "com.openai.core.ObjectMappers");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.<TypeInstrumentation>singletonList(new ChatCompletionServiceInstrumentation());
  }
}
