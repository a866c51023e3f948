package ai.wandb.agent.instrumentation.googlegenai;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/** com.google.genai:google-genai, 1.0.0 to 2.x. */
public final class GoogleGenAiInstrumentationModule implements InstrumentationModule {
  @Override
  public String name() {
    return "google-genai";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // JsonSerializable is how spans read the SDK's objects; ChatBase arrived with chats in 1.0.0.
    return Arrays.asList("com.google.genai.Client", "com.google.genai.JsonSerializable", "com.google.genai.ChatBase");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(
        new ModelsInstrumentation(ModelsInstrumentation.MODELS, false),
        new ModelsInstrumentation(ModelsInstrumentation.ASYNC_MODELS, true),
        new ChatInstrumentation("com.google.genai.Chat", false),
        new ChatInstrumentation("com.google.genai.AsyncChat", true),
        new ChatInstrumentation.Prepare(),
        new StreamInstrumentation.Iterator(),
        new StreamInstrumentation.Close(),
        new ToolInstrumentation());
  }
}
