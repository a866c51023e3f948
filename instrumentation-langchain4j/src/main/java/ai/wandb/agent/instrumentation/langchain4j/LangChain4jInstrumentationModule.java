package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** dev.langchain4j, 1.0.0 to 1.19.x. */
public final class LangChain4jInstrumentationModule implements InstrumentationModule {
  /**
   * Where LangChain4j's model implementations live. A class there named like an implementation of a
   * hooked interface ({@code ...OpenAiChatModel} for {@code ChatModel}) has its super types read from
   * the class files; every other class is decided by its name.
   */
  static final String[] MODEL_PACKAGES = {"dev.langchain4j.model", "dev.langchain4j.community.model"};

  @Override
  public String name() {
    return "langchain4j";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // ChatModel is the 1.x name (0.x had ChatLanguageModel), so loaders with 0.x stay untouched.
    return Collections.singletonList("dev.langchain4j.model.chat.ChatModel");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(
        new AiServiceInstrumentation(),
        new TokenStreamInstrumentation(),
        new ChatModelInstrumentation(),
        new StreamingChatModelInstrumentation(),
        new StreamingHandlers.ObserverInstrumentation(),
        new ToolExecutorInstrumentation(),
        new ToolServiceInstrumentation(),
        new EmbeddingModelInstrumentation(),
        new ContentRetrieverInstrumentation());
  }
}
