package ai.wandb.agent.instrumentation.springai;

import ai.wandb.agent.api.instrumentation.InstrumentationModule;
import ai.wandb.agent.api.instrumentation.ScopedDefer;
import ai.wandb.agent.api.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/** org.springframework.ai, 1.0.0 to 2.0.x: ChatClient, advisors, chat models, tools, retrieval, embeddings. */
public final class SpringAiInstrumentationModule implements InstrumentationModule {
  /** Every hooked method of an interface's implementations takes or returns one of its types (see TypeMatcher). */
  static final String LIBRARY = "org.springframework.ai.";

  @Override
  public String name() {
    return "spring-ai";
  }

  @Override
  public List<String> classLoaderMarkers() {
    // ChatClientRequest and the advisor API of 1.0 (the milestones before it had other advisor types): a
    // loader with an older Spring AI gets one debug line and stays untraced.
    return Arrays.asList("org.springframework.ai.chat.model.ChatModel",
        "org.springframework.ai.chat.client.ChatClientRequest");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.<TypeInstrumentation>asList(
        new ChatClientInstrumentation(ChatClientInstrumentation.CALL_SPEC, false),
        new ChatClientInstrumentation(ChatClientInstrumentation.STREAM_SPEC, true),
        new AdvisorInstrumentation(AdvisorInstrumentation.CALL_ADVISOR, "adviseCall", false),
        new AdvisorInstrumentation(AdvisorInstrumentation.STREAM_ADVISOR, "adviseStream", true),
        new AdvisorInstrumentation(AdvisorInstrumentation.BASE_ADVISOR, null, false),
        new AdvisorInstrumentation.Chain(),
        new ChatModelInstrumentation(ChatModelInstrumentation.CHAT_MODEL, false),
        new ChatModelInstrumentation(ChatModelInstrumentation.STREAMING_CHAT_MODEL, true),
        new ChatModelInstrumentation.ProviderStream(),
        new ToolInstrumentation(),
        new ToolInstrumentation.Manager(),
        new RetrievalInstrumentation(RetrievalInstrumentation.VECTOR_STORE),
        new RetrievalInstrumentation(RetrievalInstrumentation.DOCUMENT_RETRIEVER),
        new EmbeddingInstrumentation(),
        ScopedDefer.subscribe("reactor.core.publisher.FluxDefer"),
        FluxScope.ownDefer());
  }
}
