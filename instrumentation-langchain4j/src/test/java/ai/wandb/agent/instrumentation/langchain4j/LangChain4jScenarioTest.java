package ai.wandb.agent.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.instrumentation.executors.ExecutorsInstrumentationModule;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.rag.query.router.DefaultQueryRouter;
import dev.langchain4j.rag.query.router.QueryRouter;
import dev.langchain4j.service.tool.ToolExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.wandbtest.OverridingChatModels;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared scenario suite: the same sources run against the newest LangChain4j (this module) and the
 * lowest supported one (instrumentation-langchain4j-lowest), and the streaming AI-service scenarios on
 * 1.5.0 (instrumentation-langchain4j-1.5), with the real library talking to a local OpenAI-compatible
 * server.
 */
class LangChain4jScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT = "/v1/chat/completions";

  interface Assistant {
    String chat(@MemoryId String customer, @UserMessage String message);
  }

  interface PolicyAssistant {
    String ask(String question);
  }

  interface StreamingAssistant {
    TokenStream chat(@MemoryId String customer, @UserMessage String message);
  }

  private AgentHarness agent;
  private OpenAiTestServer server;
  private ShopTools tools;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(new LangChain4jInstrumentationModule(), new ExecutorsInstrumentationModule());
    server = OpenAiTestServer.start();
    tools = new ShopTools();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private OpenAiChatModel chatModel() {
    return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .temperature(0.2).maxRetries(0).build();
  }

  private OpenAiStreamingChatModel streamingModel() {
    return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini")
        .build();
  }

  private AiServices<Assistant> assistant() {
    return AiServices.builder(Assistant.class)
        .chatModel(chatModel())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .tools(tools);
  }

  private static List<Span> children(Span span, SpanKind kind) {
    return span.children().stream().filter(child -> child.kind() == kind).toList();
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  /** AGENT → LLM → TOOL, TOOL → LLM, as the service ran it; checks shared by the blocking and streaming runs. */
  private void assertServiceTree(Span root, String serviceName) {
    assertEquals("langchain4j.ai_service." + serviceName + ".chat", root.name());
    assertEquals(SpanKind.AGENT, root.kind());
    assertEquals(SpanStatus.OK, root.status());
    List<Span> steps = root.children();
    assertEquals(List.of(SpanKind.LLM, SpanKind.TOOL, SpanKind.TOOL, SpanKind.LLM),
        steps.stream().map(Span::kind).toList(), "steps: " + steps);
    assertEquals("langchain4j.tool.orderStatus", steps.get(1).name());
    assertEquals("langchain4j.tool.cancelOrder", steps.get(2).name());
    assertTrue(steps.get(1).startEpochNanos() >= steps.get(0).endEpochNanos(), "tool runs after the model asked");
    assertTrue(steps.get(3).startEpochNanos() >= steps.get(2).endEpochNanos(), "model runs after the tools");

    Span slow = steps.get(1);
    assertEquals(SpanStatus.OK, slow.status());
    assertTrue(slow.durationNanos() >= TimeUnit.MILLISECONDS.toNanos(ShopTools.SLOW_MILLIS),
        "the slow tool's span covers its work: " + slow.durationNanos());
    assertEquals(Map.of("orderId", "A-17"), map(slow.inputs()).get("arguments"));
    assertEquals("order A-17 shipped", map(slow.outputs()).get("result"));
    assertEquals("orderStatus", slow.attributes().get("gen_ai.tool.name"));

    Span failing = steps.get(2);
    assertEquals(SpanStatus.ERROR, failing.status());
    assertEquals(IllegalStateException.class, failing.error().getClass());
    assertTrue(failing.error().getMessage().contains("cannot be cancelled"));
    List<?> toolErrors = (List<?>) root.attributes().get("langchain4j.tool_errors");
    assertEquals("cancelOrder", map(toolErrors.get(0)).get("tool"));

    Map<?, ?> inputs = map(root.inputs());
    assertEquals("Where is order A-17? Cancel it.", inputs.get("user_message"));
    assertEquals("alice", map(inputs.get("arguments")).get("memory_id"));
    assertEquals("alice", root.attributes().get("gen_ai.conversation.id"));

    Span firstCall = steps.get(0);
    Map<?, ?> request = map(firstCall.inputs());
    assertEquals("gpt-4o-mini", request.get("model"));
    List<?> toolSpecs = (List<?>) request.get("tools");
    assertEquals(2, toolSpecs.size());
    assertEquals("openai", firstCall.attributes().get("gen_ai.provider.name"));
    assertEquals(List.of("tool_calls"), firstCall.attributes().get("gen_ai.response.finish_reasons"));
    Map<?, ?> message = map(map(((List<?>) map(firstCall.outputs()).get("choices")).get(0)).get("message"));
    assertEquals(2, ((List<?>) message.get("tool_calls")).size());
    assertEquals(112L, firstCall.usage().inputTokens());

    List<?> secondMessages = (List<?>) map(steps.get(3).inputs()).get("messages");
    Map<?, ?> toolResult = map(secondMessages.get(secondMessages.size() - 1));
    assertEquals("tool", toolResult.get("role"));
    assertEquals(List.of("stop"), steps.get(3).attributes().get("gen_ai.response.finish_reasons"));
  }

  @Test
  void anAiServiceCallIsOneAgentTraceWithModelCallsAndToolsInOrder() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-tool-calls"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));

    String answer = assistant().build().chat("alice", "Where is order A-17? Cancel it.");

    Span root = agent.nextTrace(WAIT);
    assertServiceTree(root, "Assistant");
    assertEquals(answer, map(root.outputs()).get("output"));
    Span last = root.children().get(3);
    assertEquals(220L, last.usage().totalTokens());
    assertEquals(128L, last.usage().cachedInputTokens());
    assertEquals(0.2, last.attributes().get("gen_ai.request.temperature"));
  }

  @Test
  void aStreamingAiServiceEndsWithTheStreamAndKeepsToolsAndModelCallsUnderIt() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream-tool-calls"))
        .enqueue(CHAT, Reply.sse("langchain4j-chat-completion-stream"));
    StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
        .streamingChatModel(streamingModel())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .tools(tools)
        .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    assistant.chat("alice", "Where is order A-17? Cancel it.")
        .onPartialResponse(token -> { })
        .onCompleteResponse(done::complete)
        .onError(done::completeExceptionally)
        .start();

    ChatResponse response = done.get(10, TimeUnit.SECONDS);
    Span root = agent.nextTrace(WAIT);
    assertServiceTree(root, "StreamingAssistant");
    assertEquals(response.aiMessage().text(), map(root.outputs()).get("output"));
    Span answer = root.children().get(3);
    assertTrue((Double) answer.attributes().get("wandb.time_to_first_token_ms") >= 0);
    assertEquals(211L, answer.usage().totalTokens());
    assertTrue(root.endEpochNanos() >= answer.endEpochNanos(), "the service span ends with the stream");
  }

  @Test
  void aTokenStreamsCompletionConsumerRunsWithNoAgentFrameUnderItAndWhatItThrowsLeavesTheServiceSpanOk()
      throws Exception {
    server.enqueue(CHAT, Reply.sse("langchain4j-chat-completion-stream"));
    StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
        .streamingChatModel(streamingModel())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .build();
    CompletableFuture<StackTraceElement[]> seen = new CompletableFuture<>();
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();

    assistant.chat("alice", "Where is order A-17?")
        .onPartialResponse(token -> { })
        .onCompleteResponse(response -> {
          seen.complete(new Throwable().getStackTrace());
          IllegalStateException failure = new IllegalStateException("the app's own bug");
          thrown.complete(failure);
          throw failure;
        })
        .onError(error -> { })
        .start();

    assertNoAgentFrame(seen.get(10, TimeUnit.SECONDS));
    assertNoAgentFrame(thrown.get(10, TimeUnit.SECONDS));
    Span root = agent.nextTrace(WAIT);
    assertEquals("langchain4j.ai_service.StreamingAssistant.chat", root.name());
    assertEquals(SpanStatus.OK, root.status(), "the stream completed before the app's consumer failed");
    assertEquals(SpanKind.LLM, root.children().get(0).kind());
  }

  @Test
  void aTokenStreamsErrorConsumerRunsWithNoAgentFrameUnderItAndTheServiceSpanFailsWithTheStreamsError()
      throws Exception {
    server.enqueue(CHAT, Reply.json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
    StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
        .streamingChatModel(streamingModel())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .build();
    CompletableFuture<StackTraceElement[]> seen = new CompletableFuture<>();
    CompletableFuture<Throwable> received = new CompletableFuture<>();
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();

    assistant.chat("alice", "Where is order A-17?")
        .onPartialResponse(token -> { })
        .onCompleteResponse(response -> { })
        .onError(error -> {
          seen.complete(new Throwable().getStackTrace());
          received.complete(error);
          IllegalStateException failure = new IllegalStateException("the app's error handling failed too");
          thrown.complete(failure);
          throw failure;
        })
        .start();

    assertNoAgentFrame(seen.get(10, TimeUnit.SECONDS));
    assertNoAgentFrame(thrown.get(10, TimeUnit.SECONDS));
    assertNoAgentFrame(received.get(10, TimeUnit.SECONDS));
    Span root = agent.nextTrace(WAIT);
    assertEquals("langchain4j.ai_service.StreamingAssistant.chat", root.name());
    assertEquals(SpanStatus.ERROR, root.status());
    assertTrue(root.endEpochNanos() >= root.children().get(0).endEpochNanos(), "the service span ends with the stream");
  }

  private static void assertNoAgentFrame(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertNoAgentFrame(t.getStackTrace());
    }
  }

  private static void assertNoAgentFrame(StackTraceElement[] frames) {
    for (StackTraceElement frame : frames) {
      // The app's own lambdas are this test class's frames.
      boolean agent = frame.getClassName().startsWith("ai.wandb.agent.")
          && !frame.getClassName().startsWith(LangChain4jScenarioTest.class.getName());
      assertTrue(!agent && !frame.getClassName().contains("$Proxy"),
          "an agent frame under the app's consumer: " + frame + " in " + java.util.Arrays.toString(frames));
    }
  }

  @Test
  void aDirectModelCallThroughAConvenienceOverloadIsOneLlmSpan() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));

    String answer = chatModel().chat("Where is order A-17?");

    Span span = agent.nextTrace(WAIT);
    assertEquals("langchain4j.chat", span.name());
    assertEquals(SpanKind.LLM, span.kind());
    assertTrue(span.children().isEmpty(), "one span for chat(String) -> chat(ChatRequest) -> doChat");
    assertEquals("chat", span.attributes().get("gen_ai.operation.name"));
    assertEquals("gpt-4o-mini", span.attributes().get("gen_ai.request.model"));
    assertEquals("chatcmpl-BxT0plc4jAnswer0002", span.attributes().get("gen_ai.response.id"));
    assertEquals("gpt-4o-mini-2024-07-18", span.attributes().get("gen_ai.response.model"));
    Map<?, ?> message = map(map(((List<?>) map(span.outputs()).get("choices")).get(0)).get("message"));
    assertEquals(answer, message.get("content"));
    List<?> messages = (List<?>) map(span.inputs()).get("messages");
    assertEquals(Map.of("role", "user", "content", "Where is order A-17?"), messages.get(0));
  }

  @Test
  void aProviderThatOverridesChatItselfHasOneSpanPerCall() throws Exception {
    String answer = new OverridingChatModels.BlockingChatModel().chat("hello");

    Span span = agent.nextTrace(WAIT);
    assertEquals("echo: 1", answer);
    assertEquals("langchain4j.chat", span.name());
    assertTrue(span.children().isEmpty());
    assertEquals("wandbtest", span.attributes().get("gen_ai.provider.name"));
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void aStreamingProviderThatAnswersOnTheCallingThreadEndsItsSpanOnceWithTimeToFirstToken() throws Exception {
    StringBuilder tokens = new StringBuilder();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    List<StackTraceElement> insidePartial = new ArrayList<>();
    new OverridingChatModels.StreamingChatModel().chat("hello", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String token) {
        tokens.append(token);
        if (insidePartial.isEmpty()) {
          insidePartial.addAll(List.of(new Throwable().getStackTrace()));
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });

    assertEquals("echo: 1", tokens.toString(), "every callback reaches the application's handler");
    assertEquals("echo: 1", done.get(1, TimeUnit.SECONDS).aiMessage().text());
    Span span = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, span.status());
    assertTrue((Double) span.attributes().get("wandb.time_to_first_token_ms") >= 0);
    assertEquals("echo: 1", map(map(((List<?>) map(span.outputs()).get("choices")).get(0)).get("message")).get("content"));
    assertNull(ai.wandb.agent.api.Tracer.current(), "nothing is left current on the calling thread");
    // The provider called the application's handler itself: no proxy, reflection or agent frame between them.
    assertEquals(List.of(getClass().getName() + "$1.onPartialResponse",
        OverridingChatModels.StreamingChatModel.class.getName() + ".chat",
        "dev.langchain4j.model.chat.StreamingChatModel.chat",
        getClass().getName() + ".aStreamingProviderThatAnswersOnTheCallingThreadEndsItsSpanOnceWithTimeToFirstToken"),
        insidePartial.subList(0, 4).stream().map(frame -> frame.getClassName() + "." + frame.getMethodName())
            .collect(java.util.stream.Collectors.toList()), insidePartial.toString());
  }

  /** Declares a handler's callbacks without implementing the interface, so it is not woven. */
  public static class PlainCallbacks {
    final StringBuilder tokens = new StringBuilder();
    final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    final List<StackTraceElement> insidePartial = new ArrayList<>();

    public void onPartialResponse(String token) {
      tokens.append(token);
      if (insidePartial.isEmpty()) {
        insidePartial.addAll(List.of(new Throwable().getStackTrace()));
      }
    }

    public void onCompleteResponse(ChatResponse response) {
      done.complete(response);
    }

    public void onError(Throwable error) {
      done.completeExceptionally(error);
    }
  }

  /** A handler whose callbacks are all inherited: nothing of it is woven. */
  static final class InheritedCallbacks extends PlainCallbacks implements StreamingChatResponseHandler {}

  @Test
  void aHandlerTheAgentCannotFollowIsPassedOnItselfAndItsSpanIsTheChatCall() throws Exception {
    InheritedCallbacks handler = new InheritedCallbacks();

    new OverridingChatModels.StreamingChatModel().chat("hello", handler);

    assertEquals("echo: 1", handler.tokens.toString());
    assertEquals("echo: 1", handler.done.get(1, TimeUnit.SECONDS).aiMessage().text());
    // The provider was given the application's handler itself: no proxy, reflection or agent frame in between.
    assertEquals(List.of(PlainCallbacks.class.getName() + ".onPartialResponse",
        OverridingChatModels.StreamingChatModel.class.getName() + ".chat",
        "dev.langchain4j.model.chat.StreamingChatModel.chat",
        getClass().getName() + ".aHandlerTheAgentCannotFollowIsPassedOnItselfAndItsSpanIsTheChatCall"),
        handler.insidePartial.subList(0, 4).stream().map(frame -> frame.getClassName() + "." + frame.getMethodName())
            .collect(java.util.stream.Collectors.toList()), handler.insidePartial.toString());
    Span span = agent.nextTrace(WAIT);
    assertEquals("langchain4j.chat", span.name());
    assertEquals(SpanStatus.OK, span.status());
    assertNull(ai.wandb.agent.api.Tracer.current(), "nothing is left current on the calling thread");
  }

  @Test
  void aFailingModelCallIsAnErrorLlmSpanUnderAnErrorServiceSpan() throws Exception {
    server.enqueue(CHAT, Reply.json(500, OpenAiTestServer.recorded("error-500")));

    assertThrows(RuntimeException.class, () -> assistant().build().chat("bob", "Where is order A-17?"));

    Span root = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, root.status());
    Span call = root.children().get(0);
    assertEquals(SpanStatus.ERROR, call.status());
    assertNull(call.outputs());
  }

  @Test
  void retrievalAugmentedServiceCallsShowRetrievalAndEmbeddingBeforeTheModelCall() throws Exception {
    EmbeddingModel embeddings = OpenAiEmbeddingModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
        .modelName("text-embedding-3-small").maxRetries(0).build();
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    TextSegment policy = TextSegment.from("Shipped orders cannot be cancelled, only returned.");
    server.enqueue("/v1/embeddings", Reply.recorded("langchain4j-embeddings"));
    store.add(embeddings.embed(policy).content(), policy);
    agent.nextTrace(WAIT); // the ingestion's own embedding call
    server.enqueue("/v1/embeddings", Reply.recorded("langchain4j-embeddings"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    PolicyAssistant assistant = AiServices.builder(PolicyAssistant.class)
        .chatModel(chatModel())
        .contentRetriever(EmbeddingStoreContentRetriever.builder().embeddingStore(store).embeddingModel(embeddings)
            .maxResults(1).build())
        .build();

    assistant.ask("Can I cancel order A-17?");

    Span root = agent.nextTrace(WAIT);
    assertEquals(List.of(SpanKind.RETRIEVER, SpanKind.LLM), root.children().stream().map(Span::kind).toList());
    Span retrieval = root.children().get(0);
    assertEquals("Can I cancel order A-17?", map(retrieval.inputs()).get("query"));
    List<?> contents = (List<?>) map(retrieval.outputs()).get("contents");
    assertEquals(policy.text(), map(contents.get(0)).get("text"));
    Span embedding = children(retrieval, SpanKind.EMBEDDING).get(0);
    assertEquals("langchain4j.embedding", embedding.name());
    assertTrue(embedding.children().isEmpty(), "one span for embed(String) -> embed(TextSegment) -> embedAll");
    assertEquals("text-embedding-3-small", embedding.attributes().get("gen_ai.request.model"));
    assertEquals(List.of("Can I cancel order A-17?"), map(embedding.inputs()).get("input"));
    assertEquals(4, map(embedding.outputs()).get("dimension"));
    assertEquals(7L, embedding.usage().inputTokens());
    assertTrue(((String) map(root.inputs()).get("user_message")).contains(policy.text()),
        "the user message the service sent carries the retrieved content");
  }

  @Test
  void concurrentToolsKeepTheServiceSpanAsParentOnWorkerThreads() throws Exception {
    assumeTrue(hasMethod(AiServices.class, "executeToolsConcurrently"), "LangChain4j before 1.4 runs tools in turn");
    server.enqueue(CHAT, Reply.recorded("chat-completion-tool-calls"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> new Thread(runnable, "tool-worker"));
    try {
      AiServices<Assistant> builder = assistant();
      AiServices.class.getMethod("executeToolsConcurrently", java.util.concurrent.Executor.class).invoke(builder, pool);

      builder.build().chat("alice", "Where is order A-17? Cancel it.");
    } finally {
      pool.shutdown();
    }

    Span root = agent.nextTrace(WAIT);
    List<Span> toolSpans = children(root, SpanKind.TOOL);
    assertEquals(2, toolSpans.size(), "both tools under the service span: " + root.children());
    assertTrue(tools.threads.stream().allMatch(name -> name.equals("tool-worker")), "ran on " + tools.threads);
    assertTrue(agent.finishedTraces().isEmpty(), "no tool span escaped into a trace of its own");
  }

  interface PantryAssistant {
    String chat(@MemoryId String customer, @UserMessage String message);
  }

  record Person(String name, int age) {}

  interface PersonExtractor {
    Person extract(String text);
  }

  private static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(span -> span.name().equals(name)).toList();
  }

  @Test
  void toolsWrittenAsAppsWriteThemAreOkSpansWithTheirResults() throws Exception {
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-pantry-tool-calls"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    PantryAssistant assistant = AiServices.builder(PantryAssistant.class)
        .chatModel(chatModel())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .tools(new PantryTools())
        .build();

    assistant.chat("carol", "Do we have flour? Restock it.");

    Span root = agent.nextTrace(WAIT);
    List<Span> toolSpans = children(root, SpanKind.TOOL);
    assertEquals(List.of("langchain4j.tool.stock", "langchain4j.tool.price", "langchain4j.tool.restock",
        "langchain4j.tool.basket"), toolSpans.stream().map(Span::name).toList());
    for (Span tool : toolSpans) {
      assertEquals(SpanStatus.OK, tool.status(), tool.name() + " failed with " + tool.error());
    }
    assertEquals("12 bags of flour", map(toolSpans.get(0).outputs()).get("result"));
    assertEquals("2.4", map(toolSpans.get(1).outputs()).get("result"));
    assertEquals("Success", map(toolSpans.get(2).outputs()).get("result"));
    assertEquals(List.of("flour"), PantryTools.RESTOCKED);
    assertEquals("carol's basket: flour", map(toolSpans.get(3).outputs()).get("result"));
    assertEquals(SpanStatus.OK, root.status());
    assertNull(root.attributes().get("langchain4j.tool_errors"), "no tool failed");
    // basket takes no argument the model fills: OpenAI still gets an empty object schema for it
    List<?> sent = (List<?>) map(ai.wandb.agent.api.Json.parse(server.requests().get(0).body())).get("tools");
    assertEquals(normalized(sent), normalized(map(children(root, SpanKind.LLM).get(0).inputs()).get("tools")));
  }

  /**
   * LangChain4j's tutorials build their tool-calling model with {@code strictTools(true)}: OpenAI then gets
   * each function with {@code "strict": true} and a closed schema ({@code additionalProperties: false}, an
   * empty object for a tool without arguments), and the span must show the tools that way.
   */
  @Test
  void strictToolsAreShownAsSentStrictFlagAndClosedSchemas() throws Exception {
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-pantry-tool-calls"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
        .modelName("gpt-4o-mini").strictTools(true).maxRetries(0).build();
    PantryAssistant assistant = AiServices.builder(PantryAssistant.class)
        .chatModel(model)
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .tools(new PantryTools())
        .build();
    try {
      assistant.chat("carol", "Do we have flour? Restock it.");
    } finally {
      PantryTools.RESTOCKED.clear();
    }

    Span root = agent.nextTrace(WAIT);
    List<Span> llms = children(root, SpanKind.LLM);
    assertEquals(2, llms.size());
    for (int call = 0; call < 2; call++) {
      List<?> sent = (List<?>) map(ai.wandb.agent.api.Json.parse(server.requests().get(call).body())).get("tools");
      List<?> shown = (List<?>) map(llms.get(call).inputs()).get("tools");
      assertEquals(4, sent.size());
      assertEquals(true, map(map(sent.get(0)).get("function")).get("strict"), "the model sent strict tools: " + sent);
      assertEquals(normalized(sent), normalized(shown), "tools as sent in call " + call);
    }
  }

  private static ToolSpecification tool(String name, String parameter, boolean number) {
    JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
    if (number) {
      parameters.addNumberProperty(parameter);
    } else {
      parameters.addStringProperty(parameter);
    }
    return ToolSpecification.builder().name(name).description("the " + name + " tool")
        .parameters(parameters.required(parameter).build()).build();
  }

  /** ToolService.executeWithErrorHandling (1.4+) hands what an executor threw to the model; before, it failed the call. */
  private static boolean executorFailuresGoToTheModel() throws ClassNotFoundException {
    return hasMethod(Class.forName("dev.langchain4j.service.tool.ToolService"), "executeWithErrorHandling");
  }

  @Test
  void toolExecutorsTheAppRegistersItselfAreToolSpansLambdasIncluded() throws Exception {
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-executor-tool-calls"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    Map<ToolSpecification, ToolExecutor> executors = new LinkedHashMap<>();
    executors.put(tool("weather", "city", false), (request, memoryId) -> "21 °C and sunny");
    executors.put(tool("fahrenheit", "celsius", true), new KitchenComponents.FahrenheitExecutor());
    executors.put(tool("humidity", "city", false), new ToolExecutor() {
      @Override
      public String execute(dev.langchain4j.agent.tool.ToolExecutionRequest request, Object memoryId) {
        return "humidity 64% in " + request.arguments().replaceAll("[^A-Za-z]|city", "");
      }
    });

    AiServices.builder(PolicyAssistant.class).chatModel(chatModel()).tools(executors).build()
        .ask("How warm and humid is it in Oslo, in Fahrenheit?");

    // A lambda (seen where the service calls it), an app class and an anonymous one (woven themselves):
    // one span each, in the order the model asked, none twice.
    Span root = agent.nextTrace(WAIT);
    List<Span> toolSpans = children(root, SpanKind.TOOL);
    assertEquals(List.of("langchain4j.tool.weather", "langchain4j.tool.fahrenheit", "langchain4j.tool.humidity"),
        toolSpans.stream().map(Span::name).toList());
    for (Span tool : toolSpans) {
      assertEquals(SpanStatus.OK, tool.status(), tool.name() + " failed with " + tool.error());
      assertTrue(tool.children().isEmpty(), "no span inside a tool: " + tool.children());
    }
    assertEquals("21 °C and sunny", map(toolSpans.get(0).outputs()).get("result"));
    assertEquals(normalized(Map.of("city", "Oslo")), normalized(map(toolSpans.get(0).inputs()).get("arguments")));
    assertEquals("70 °F", map(toolSpans.get(1).outputs()).get("result"));
    assertEquals(normalized(Map.of("celsius", 21)), normalized(map(toolSpans.get(1).inputs()).get("arguments")));
    assertEquals("humidity 64% in Oslo", map(toolSpans.get(2).outputs()).get("result"));
  }

  @Test
  void toolExecutorLambdasOfAStreamingServiceAreToolSpansUnderIt() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream-tool-calls"))
        .enqueue(CHAT, Reply.sse("langchain4j-chat-completion-stream"));
    Map<ToolSpecification, ToolExecutor> executors = new LinkedHashMap<>();
    executors.put(tool("orderStatus", "orderId", false), (request, memoryId) -> "order A-17 shipped");
    executors.put(tool("cancelOrder", "orderId", false), (request, memoryId) -> "shipped orders cannot be cancelled");
    StreamingAssistant assistant = AiServices.builder(StreamingAssistant.class)
        .streamingChatModel(streamingModel())
        .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(20))
        .tools(executors)
        .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    assistant.chat("alice", "Where is order A-17? Cancel it.")
        .onPartialResponse(token -> { })
        .onCompleteResponse(done::complete)
        .onError(done::completeExceptionally)
        .start();

    done.get(10, TimeUnit.SECONDS);
    Span root = agent.nextTrace(WAIT);
    assertEquals(List.of(SpanKind.LLM, SpanKind.TOOL, SpanKind.TOOL, SpanKind.LLM),
        root.children().stream().map(Span::kind).toList(), "steps: " + root.children());
    assertEquals("order A-17 shipped", map(root.children().get(1).outputs()).get("result"));
    assertEquals("shipped orders cannot be cancelled", map(root.children().get(2).outputs()).get("result"));
    assertEquals(SpanStatus.OK, root.children().get(2).status());
  }

  @Test
  void anExecutorThatThrowsIsAnErrorToolSpanWithWhatTheServiceDidWithIt() throws Exception {
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-failing-executor-tool-call"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    List<IllegalStateException> thrownByTool = new ArrayList<>();
    Map<ToolSpecification, ToolExecutor> executors = Map.of(tool("refund", "orderId", false), (request, memoryId) -> {
      IllegalStateException closed = new IllegalStateException("refunds are closed today");
      thrownByTool.add(closed);
      throw closed;
    });
    PolicyAssistant assistant = AiServices.builder(PolicyAssistant.class).chatModel(chatModel()).tools(executors)
        .build();

    if (executorFailuresGoToTheModel()) {
      assistant.ask("Refund order A-17.");
    } else {
      // 1.0 to 1.3: the executor's exception leaves the service call, as the app's own, untouched.
      IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> assistant.ask("Refund order A-17."));
      assertEquals(thrownByTool.get(0), thrown);
      for (StackTraceElement frame : thrown.getStackTrace()) {
        // This class's lambdas and the service's proxy (made in the interface's package) are the app's.
        String type = frame.getClassName();
        assertTrue(!type.startsWith("ai.wandb.agent.") || type.startsWith(LangChain4jScenarioTest.class.getName())
            || type.contains("$Proxy"), "agent frame " + frame);
      }
    }
    IllegalStateException closed = thrownByTool.get(0);

    Span root = agent.nextTrace(WAIT);
    Span refund = children(root, SpanKind.TOOL).get(0);
    assertEquals("langchain4j.tool.refund", refund.name());
    assertEquals(SpanStatus.ERROR, refund.status());
    assertEquals(closed, refund.error());
    if (executorFailuresGoToTheModel()) {
      assertEquals(SpanStatus.OK, root.status(), "the model got the error text and answered");
      assertEquals("refund", map(((List<?>) root.attributes().get("langchain4j.tool_errors")).get(0)).get("tool"));
    } else {
      assertEquals(SpanStatus.ERROR, root.status());
      assertEquals(closed, root.error());
    }
  }

  private static Object newestApp(String method, Object model) throws Exception {
    return newestApp("NewestApps", method, new Class<?>[] {dev.langchain4j.model.chat.ChatModel.class}, model);
  }

  private static Object newestApp(String method, Class<?>[] parameterTypes, Object... arguments) throws Exception {
    return newestApp("NewestApps", method, parameterTypes, arguments);
  }

  /** An app class of the {@code newest} package, which the lowest-version module does not compile. */
  private static Object newestApp(String app, String method, Class<?>[] parameterTypes, Object... arguments)
      throws Exception {
    Class<?> apps = Class.forName("ai.wandb.agent.instrumentation.langchain4j.newest." + app);
    return apps.getMethod(method, parameterTypes).invoke(null, arguments);
  }

  /**
   * Tools whose results go straight back to the app end the stream in their round: the service span
   * ends then, with the tools under it, and before the app's completion consumer runs (the trace is
   * already finished there); no agent frame under the app's tool and completion consumers.
   */
  @Test
  void aTokenStreamEndedByImmediateToolsEndsItsSpanBeforeTheAppsCompletionConsumer() throws Exception {
    assumeTrue(classExists("dev.langchain4j.agent.tool.ReturnBehavior"), "ReturnBehavior is 1.4+");
    server.enqueue(CHAT, Reply.sse("chat-completion-stream-tool-calls"));
    List<Boolean> traceOpenInToolConsumer = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<StackTraceElement[]> toolConsumerStacks = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Boolean> traceFinishedInCompletionConsumer = new CompletableFuture<>();
    CompletableFuture<StackTraceElement[]> completionStack = new CompletableFuture<>();

    newestApp("streamImmediateTools",
        new Class<?>[] {dev.langchain4j.model.chat.StreamingChatModel.class, Consumer.class, Consumer.class,
            Consumer.class},
        streamingModel(),
        (Consumer<Object>) execution -> {
          toolConsumerStacks.add(new Throwable().getStackTrace());
          traceOpenInToolConsumer.add(agent.finishedTraces().isEmpty());
        },
        (Consumer<ChatResponse>) response -> {
          completionStack.complete(new Throwable().getStackTrace());
          traceFinishedInCompletionConsumer.complete(!agent.finishedTraces().isEmpty());
        },
        (Consumer<Throwable>) traceFinishedInCompletionConsumer::completeExceptionally);

    assertTrue(traceFinishedInCompletionConsumer.get(10, TimeUnit.SECONDS),
        "the service span ended before the app's completion consumer ran");
    assertNoAgentFrame(completionStack.get());
    assertEquals(List.of(true, true), traceOpenInToolConsumer, "the tools ran inside the stream");
    toolConsumerStacks.forEach(LangChain4jScenarioTest::assertNoAgentFrame);
    Span root = agent.nextTrace(WAIT);
    assertEquals("langchain4j.ai_service.StreamingOrderDesk.handle", root.name());
    assertEquals(SpanStatus.OK, root.status());
    assertEquals(List.of(SpanKind.LLM, SpanKind.TOOL, SpanKind.TOOL), root.children().stream().map(Span::kind).toList());
    assertEquals("cancellation of A-17 requested", map(root.children().get(2).outputs()).get("result"));
  }

  /**
   * An output guardrail on a streaming service runs inside the stream: the service span is open while it
   * checks the answer and while the partial responses it held back reach the app, and has ended when the
   * app's completion consumer runs.
   */
  @Test
  void aTokenStreamsSpanEndsAfterItsOutputGuardrailAndBeforeTheAppsCompletionConsumer() throws Exception {
    assumeTrue(classExists("dev.langchain4j.guardrail.OutputGuardrail"), "output guardrails are 1.3+");
    server.enqueue(CHAT, Reply.sse("langchain4j-chat-completion-stream"));
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    CompletableFuture<StackTraceElement[]> completionStack = new CompletableFuture<>();

    newestApp("streamGuarded",
        new Class<?>[] {dev.langchain4j.model.chat.StreamingChatModel.class, boolean.class, Runnable.class,
            Consumer.class, Consumer.class, Consumer.class},
        streamingModel(), true,
        (Runnable) () -> seen.add("guardrail, trace open: " + agent.finishedTraces().isEmpty()),
        (Consumer<String>) token -> seen.add("partial, trace open: " + agent.finishedTraces().isEmpty()),
        (Consumer<ChatResponse>) response -> {
          completionStack.complete(new Throwable().getStackTrace());
          seen.add("complete, trace open: " + agent.finishedTraces().isEmpty());
          done.complete(response);
        },
        (Consumer<Throwable>) done::completeExceptionally);

    ChatResponse response = done.get(10, TimeUnit.SECONDS);
    assertEquals("guardrail, trace open: true", seen.get(0));
    assertTrue(seen.size() > 2, "partial responses after the guardrail: " + seen);
    assertTrue(seen.subList(1, seen.size() - 1).stream().allMatch("partial, trace open: true"::equals), seen.toString());
    assertEquals("complete, trace open: false", seen.get(seen.size() - 1));
    assertNoAgentFrame(completionStack.get());
    Span root = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.OK, root.status());
    assertEquals(response.aiMessage().text(), map(root.outputs()).get("output"));
  }

  /**
   * A guardrail that fails the answer fails the stream: the app's error consumer gets LangChain4j's
   * exception, with no agent frame under the consumer or in the exception, and the service span is an
   * error with that exception, ended before the consumer runs.
   */
  @Test
  void aTokenStreamWhoseOutputGuardrailFailsIsAnErrorSpanEndedBeforeTheAppsErrorConsumer() throws Exception {
    assumeTrue(classExists("dev.langchain4j.guardrail.OutputGuardrail"), "output guardrails are 1.3+");
    server.enqueue(CHAT, Reply.sse("langchain4j-chat-completion-stream"));
    CompletableFuture<Throwable> received = new CompletableFuture<>();
    CompletableFuture<StackTraceElement[]> errorStack = new CompletableFuture<>();
    CompletableFuture<Boolean> traceFinishedInErrorConsumer = new CompletableFuture<>();
    List<String> partials = new java.util.concurrent.CopyOnWriteArrayList<>();

    newestApp("streamGuarded",
        new Class<?>[] {dev.langchain4j.model.chat.StreamingChatModel.class, boolean.class, Runnable.class,
            Consumer.class, Consumer.class, Consumer.class},
        streamingModel(), false, (Runnable) () -> { },
        (Consumer<String>) partials::add,
        (Consumer<ChatResponse>) response -> received.completeExceptionally(new AssertionError("completed")),
        (Consumer<Throwable>) error -> {
          errorStack.complete(new Throwable().getStackTrace());
          traceFinishedInErrorConsumer.complete(!agent.finishedTraces().isEmpty());
          received.complete(error);
        });

    Throwable error = received.get(10, TimeUnit.SECONDS);
    assertEquals("dev.langchain4j.guardrail.OutputGuardrailException", error.getClass().getName());
    assertNoAgentFrame(error);
    assertNoAgentFrame(errorStack.get());
    assertTrue(traceFinishedInErrorConsumer.get(), "the service span ended before the app's error consumer ran");
    assertTrue(partials.isEmpty(), "the guardrail held the partial responses back: " + partials);
    Span root = agent.nextTrace(WAIT);
    assertEquals(SpanStatus.ERROR, root.status());
    assertEquals(error, root.error());
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Test
  void anImmediateReturnToolIsAnOkToolSpanAndNoSecondModelCall() throws Exception {
    assumeTrue(classExists("dev.langchain4j.agent.tool.ReturnBehavior"), "ReturnBehavior is 1.4+");
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-book-table-tool-call"));

    Object result = newestApp("bookTable", chatModel());

    assertEquals("table booked for 19:00", result);
    Span root = agent.nextTrace(WAIT);
    assertEquals(List.of(SpanKind.LLM, SpanKind.TOOL), root.children().stream().map(Span::kind).toList());
    Span book = root.children().get(1);
    assertEquals(SpanStatus.OK, book.status());
    assertEquals("table booked for 19:00", map(book.outputs()).get("result"));
  }

  @Test
  void aToolTakingInvocationParametersIsAnOkToolSpan() throws Exception {
    assumeTrue(classExists("dev.langchain4j.invocation.InvocationParameters"), "InvocationParameters is 1.6+");
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-greet-tool-call"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));

    newestApp("InvocationParametersApp", "greet", new Class<?>[] {dev.langchain4j.model.chat.ChatModel.class},
        chatModel());

    Span root = agent.nextTrace(WAIT);
    Span greet = children(root, SpanKind.TOOL).get(0);
    assertEquals(SpanStatus.OK, greet.status(), "failed with " + greet.error());
    assertEquals("hello, in nb-NO", map(greet.outputs()).get("result"));
  }

  @Test
  void severalRetrieversACustomClassAndALambdaEachMakeOneRetrieverSpan() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    ContentRetriever hours = query -> List.of(Content.from("Open 9 to 17."));
    PolicyAssistant assistant = AiServices.builder(PolicyAssistant.class)
        .chatModel(chatModel())
        .retrievalAugmentor(DefaultRetrievalAugmentor.builder()
            .queryRouter(new DefaultQueryRouter(new KitchenComponents.MenuRetriever(), hours)).build())
        .build();

    assistant.ask("When are you open, and what is on the menu?");

    // Both run on the augmentor's executor; context follows them there, so they are children of the service.
    Span root = agent.nextTrace(WAIT);
    List<Span> retrievals = root.children().stream().filter(span -> span.kind() == SpanKind.RETRIEVER).toList();
    assertEquals(2, retrievals.size(), "one span per retriever call, under the service: " + root.children());
    assertTrue(agent.finishedTraces().isEmpty(), "no retriever left the trace: " + agent.finishedTraces());
    Map<String, Object> textByClass = new java.util.HashMap<>();
    for (Span retrieval : retrievals) {
      assertEquals("langchain4j.retriever", retrieval.name());
      assertEquals("When are you open, and what is on the menu?", map(retrieval.inputs()).get("query"));
      textByClass.put((String) retrieval.attributes().get("langchain4j.retriever.class"),
          map(((List<?>) map(retrieval.outputs()).get("contents")).get(0)).get("text"));
    }
    assertEquals("Today's menu: lentil soup.", textByClass.get(KitchenComponents.MenuRetriever.class.getName()));
    assertEquals("Open 9 to 17.", textByClass.get(hours.getClass().getName()));
  }

  @Test
  void aRetrieverLambdaGivenToTheServiceIsOneRetrieverSpanUnderIt() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    PolicyAssistant assistant = AiServices.builder(PolicyAssistant.class)
        .chatModel(chatModel())
        .contentRetriever(query -> List.of(Content.from("Shipped orders cannot be cancelled.")))
        .build();

    assistant.ask("Can I cancel order A-17?");

    Span root = agent.nextTrace(WAIT);
    assertEquals(List.of(SpanKind.RETRIEVER, SpanKind.LLM), root.children().stream().map(Span::kind).toList());
    Span retrieval = root.children().get(0);
    assertEquals("Can I cancel order A-17?", map(retrieval.inputs()).get("query"));
    assertEquals("Shipped orders cannot be cancelled.",
        map(((List<?>) map(retrieval.outputs()).get("contents")).get(0)).get("text"));
    assertTrue(agent.finishedTraces().isEmpty());
  }

  @Test
  void retrieverLambdasChosenByTheAppsOwnRouterAreOneRetrieverSpanPerCall() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"))
        .enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    ContentRetriever hours = query -> List.of(Content.from("Open 9 to 17."));
    ContentRetriever menu = query -> List.of(Content.from("Lentil soup."));
    QueryRouter router = query -> List.of(query.text().contains("menu") ? menu : hours);

    AiServices.builder(PolicyAssistant.class).chatModel(chatModel())
        .retrievalAugmentor(DefaultRetrievalAugmentor.builder().queryRouter(router).build())
        .build()
        .ask("When are you open?");
    Span single = agent.nextTrace(WAIT);
    // A transformer making two queries: each is routed and retrieved on the augmentor's executor.
    AiServices.builder(PolicyAssistant.class).chatModel(chatModel())
        .retrievalAugmentor(DefaultRetrievalAugmentor.builder()
            .queryTransformer(query -> List.of(query, Query.from(query.text() + " And the menu?")))
            .queryRouter(router).build())
        .build()
        .ask("When are you open?");
    Span expanded = agent.nextTrace(WAIT);

    assertEquals(List.of(SpanKind.RETRIEVER, SpanKind.LLM), single.children().stream().map(Span::kind).toList());
    assertEquals("Open 9 to 17.",
        map(((List<?>) map(single.children().get(0).outputs()).get("contents")).get(0)).get("text"));
    List<Span> retrievals = children(expanded, SpanKind.RETRIEVER);
    assertEquals(2, retrievals.size(), "one span per query, under the service: " + expanded.children());
    Set<Object> texts = new java.util.HashSet<>();
    for (Span retrieval : retrievals) {
      texts.add(map(((List<?>) map(retrieval.outputs()).get("contents")).get(0)).get("text"));
    }
    assertEquals(Set.of("Open 9 to 17.", "Lentil soup."), texts);
    assertTrue(agent.finishedTraces().isEmpty(), "no retriever left the trace: " + agent.finishedTraces());
  }

  @Test
  void ingestingADocumentIsOneEmbeddingSpanWithTheAppsModelAsAClassOrALambda() throws Exception {
    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    EmbeddingStoreIngestor.builder().embeddingModel(new KitchenComponents.LetterCountEmbeddingModel())
        .embeddingStore(store).build()
        .ingest(Document.from("Lentil soup, every day."));

    Span ingestion = agent.nextTrace(WAIT);
    assertEquals("langchain4j.embedding", ingestion.name());
    assertTrue(ingestion.children().isEmpty(), "the model's own span and the call site's are one");
    assertEquals(List.of("Lentil soup, every day."), map(ingestion.inputs()).get("input"));
    if (classExists("ai.wandb.agent.instrumentation.langchain4j.lowest.LowestApps")) {
      Object stored = Class.forName("ai.wandb.agent.instrumentation.langchain4j.lowest.LowestApps")
          .getMethod("ingestWithALambdaModel", String.class).invoke(null, "Bread, baked at six.");
      assertEquals(1, stored);
      Span lambda = agent.nextTrace(WAIT);
      assertEquals("langchain4j.embedding", lambda.name());
      assertEquals(List.of("Bread, baked at six."), map(lambda.inputs()).get("input"));
      assertTrue(agent.finishedTraces().isEmpty(), "one span: " + agent.finishedTraces());
    }
  }

  @Test
  void anEmbeddingModelTheAppWritesIsTracedOnEveryPathAndUnderTheRetrieverThatUsesIt() throws Exception {
    EmbeddingModel embeddings = new KitchenComponents.LetterCountEmbeddingModel();
    TextSegment soup = TextSegment.from("Lentil soup, every day.");

    embeddings.embedAll(List.of(soup, TextSegment.from("Bread.")));
    Span batch = agent.nextTrace(WAIT);
    assertEquals("langchain4j.embedding", batch.name());
    assertTrue(batch.children().isEmpty());
    assertEquals(List.of(soup.text(), "Bread."), map(batch.inputs()).get("input"));
    assertEquals(6L, batch.usage().inputTokens());
    assertFalse(batch.attributes().containsKey("gen_ai.request.model"), "a model that names none: " + batch.attributes());
    assertFalse(map(batch.inputs()).containsKey("model"), "no model called \"unknown\": " + batch.inputs());

    InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
    store.add(embeddings.embed(soup).content(), soup);
    assertTrue(agent.nextTrace(WAIT).children().isEmpty(), "embed(TextSegment) -> embedAll is one span");
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    AiServices.builder(PolicyAssistant.class).chatModel(chatModel())
        .contentRetriever(EmbeddingStoreContentRetriever.builder().embeddingStore(store).embeddingModel(embeddings)
            .maxResults(1).build())
        .build()
        .ask("Is there soup?");

    Span root = agent.nextTrace(WAIT);
    Span retrieval = root.children().get(0);
    assertEquals(SpanKind.RETRIEVER, retrieval.kind());
    assertEquals(1, children(retrieval, SpanKind.EMBEDDING).size(), "the query's embedding: " + retrieval.children());
  }

  @Test
  void anAppsWrapperAroundAProviderIsOneLlmSpanShowingTheProviderAndWhatItSent() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    KitchenComponents.LoggingChatModel model = new KitchenComponents.LoggingChatModel(chatModel());

    AiServices.create(PolicyAssistant.class, model).ask("Is the kitchen open?");

    assertEquals(List.of("asked: 1 message(s)"), model.log);
    Span root = agent.nextTrace(WAIT);
    assertEquals(1, root.children().size(), "one span for the wrapper and the provider: " + root.children());
    Span llm = root.children().get(0);
    assertEquals(SpanKind.LLM, llm.kind());
    assertTrue(llm.children().isEmpty());
    assertEquals("openai", llm.attributes().get("gen_ai.provider.name"));
    assertEquals(OpenAiChatModel.class.getName(), llm.attributes().get("langchain4j.model.class"));
    assertEquals("gpt-4o-mini", map(llm.inputs()).get("model"));
    assertEquals(0.2, map(llm.inputs()).get("temperature"));
  }

  /** JSON values compared by meaning: numbers by value, objects regardless of key order. */
  private static Object normalized(Object value) {
    if (value instanceof Number number) {
      return new java.math.BigDecimal(number.toString()).stripTrailingZeros();
    }
    if (value instanceof Map<?, ?> object) {
      Map<String, Object> out = new java.util.TreeMap<>();
      object.forEach((key, element) -> out.put(String.valueOf(key), normalized(element)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(LangChain4jScenarioTest::normalized).toList();
    }
    return value;
  }

  @Test
  void theLlmSpanHoldsTheRequestAsSentJsonSchemaAndEveryParameterIncluded() throws Exception {
    server.enqueue(CHAT, Reply.recorded("langchain4j-chat-completion-person"));
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test")
        .modelName("gpt-4o-mini").temperature(0.2).topP(0.9).frequencyPenalty(0.1).presencePenalty(0.3)
        .stop(List.of("END")).seed(7).user("carol").maxCompletionTokens(300).logitBias(Map.of("50256", -100))
        .store(true).metadata(Map.of("app", "kitchen"))
        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true).maxRetries(0).build();

    Person person = AiServices.create(PersonExtractor.class, model).extract("Ada Lovelace, 36, wrote the first program.");

    assertEquals(new Person("Ada Lovelace", 36), person);
    Span llm = agent.nextTrace(WAIT).children().get(0);
    Map<?, ?> inputs = map(llm.inputs());
    Map<?, ?> sent = map(ai.wandb.agent.api.Json.parse(server.requests().get(0).body()));
    Map<?, ?> responseFormat = map(inputs.get("response_format"));
    assertEquals("json_schema", responseFormat.get("type"));
    Map<?, ?> jsonSchema = map(responseFormat.get("json_schema"));
    assertEquals("Person", jsonSchema.get("name"));
    assertEquals(true, jsonSchema.get("strict"));
    assertEquals(Set.of("name", "age"), map(map(jsonSchema.get("schema")).get("properties")).keySet());
    for (Map.Entry<?, ?> field : sent.entrySet()) {
      // The messages are rendered in OpenAI's shape from LangChain4j's (compared in other tests); whether
      // the transport streamed is the span's own matter.
      if (!Set.of("messages", "stream", "stream_options").contains(field.getKey())) {
        assertEquals(normalized(field.getValue()), normalized(inputs.get(field.getKey())),
            "request field " + field.getKey() + " as sent: " + sent);
      }
    }
    assertEquals(7, ((Number) llm.attributes().get("gen_ai.request.seed")).intValue());
    assertEquals(300, ((Number) llm.attributes().get("gen_ai.request.max_tokens")).intValue());
  }

  private static boolean hasMethod(Class<?> type, String name) {
    for (java.lang.reflect.Method method : type.getMethods()) {
      if (method.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
