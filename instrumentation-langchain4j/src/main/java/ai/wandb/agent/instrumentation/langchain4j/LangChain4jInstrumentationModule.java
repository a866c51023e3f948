package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** dev.langchain4j, 1.0.0 to 1.19.x, and langchain4j-agentic from 1.10.0-beta18. */
public final class LangChain4jInstrumentationModule implements InstrumentationModule {
  /** Every hooked method of an interface's implementations takes or returns one of its types (see TypeMatcher). */
  static final String LIBRARY = "dev.langchain4j.";

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
        new TokenStreamInstrumentation.Handler(),
        new ChatModelInstrumentation(),
        new StreamingChatModelInstrumentation(),
        new StreamingHandlers.ObserverInstrumentation(),
        new StreamingHandlers.HandlerInstrumentation(),
        new ToolExecutorInstrumentation(),
        new ToolCallSiteInstrumentation(),
        new EmbeddingModelInstrumentation(),
        new ContentRetrieverInstrumentation(),
        new RetrieverCallSiteInstrumentation(),
        new EmbeddingCallSiteInstrumentation(),
        new AgenticInstrumentation.AgentInvoker(),
        new AgenticInstrumentation.PlannerLoop());
  }
}
