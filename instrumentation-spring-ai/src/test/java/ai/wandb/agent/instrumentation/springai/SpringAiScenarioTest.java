package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.CountedUsage;
import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.api.Usage;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.vectorstore.QuestionAnswerAdvisor;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.document.Document;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.ai.rag.advisor.RetrievalAugmentationAdvisor;
import org.springframework.ai.rag.retrieval.search.VectorStoreDocumentRetriever;
import org.springframework.ai.vectorstore.SimpleVectorStore;
import reactor.core.publisher.Flux;

/**
 * The scenario suite: the same sources run against the newest Spring AI (this module) and the lowest
 * supported one (instrumentation-spring-ai-lowest), the real library talking to a local OpenAI-compatible
 * server; {@link Models} holds the few lines that differ between 1.x and 2.x.
 */
class SpringAiScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT = "/v1/chat/completions";
  private static final String EMBEDDINGS = "/v1/embeddings";

  private AgentHarness agent;
  private OpenAiTestServer server;

  @BeforeEach
  void setUp() {
    agent = AgentHarness.install(Models.modules());
    server = OpenAiTestServer.start();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private static Map<?, ?> map(Object value) {
    return (Map<?, ?>) value;
  }

  private static Span named(Span root, String name) {
    return AgentHarness.flatten(root).stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + AgentHarness.flatten(root)));
  }

  private static List<Span> kinds(Span span, SpanKind kind) {
    return AgentHarness.flatten(span).stream().filter(s -> s.kind() == kind).toList();
  }

  /**
   * The round trips and tools in the order they ran. 1.x loops inside the model, so they are siblings;
   * 2.x loops in ChatClient's ToolCallingAdvisor, which runs the advisors after it once per round trip.
   * Either way no tool sits inside a round trip.
   */
  private static List<Span> loop(Span root) {
    List<Span> steps = AgentHarness.flatten(root).stream()
        .filter(s -> s.name().equals("spring_ai.chat") || s.kind() == SpanKind.TOOL).toList();
    for (Span step : steps) {
      for (Span up = step.parent(); up != null; up = up.parent()) {
        assertTrue(up.kind() != SpanKind.LLM, step + " is inside " + up);
      }
    }
    return steps;
  }

  private void assertToolLoop(Span root, long expectedTotalTokens) {
    List<Span> steps = loop(root);
    assertEquals(List.of("spring_ai.chat", "spring_ai.tool.orderStatus", "spring_ai.tool.cancelOrder", "spring_ai.chat"),
        steps.stream().map(Span::name).toList(), "steps: " + steps);
    assertTrue(steps.get(1).startEpochNanos() >= steps.get(0).endEpochNanos(), "tools run after the model asked");
    assertTrue(steps.get(3).startEpochNanos() >= steps.get(2).endEpochNanos(), "the model runs after the tools");

    Span first = steps.get(0);
    assertEquals("openai", first.attributes().get("gen_ai.provider.name"));
    assertEquals(List.of("tool_calls"), first.attributes().get("gen_ai.response.finish_reasons"));
    List<?> toolCalls = (List<?>) map(map(((List<?>) map(first.outputs()).get("choices")).get(0)).get("message"))
        .get("tool_calls");
    assertEquals(2, toolCalls.size());
    List<?> tools = (List<?>) map(first.inputs()).get("tools");
    assertEquals(2, tools.size(), "the tools offered, as sent");
    assertEquals("gpt-4o-mini", map(first.inputs()).get("model"));
    assertEquals(112L, first.usage().inputTokens(), "the first round trip's own usage");

    Span slow = steps.get(1);
    assertEquals(SpanStatus.OK, slow.status());
    assertTrue(slow.durationNanos() >= TimeUnit.MILLISECONDS.toNanos(ShopTools.SLOW_MILLIS), "real tool duration");
    assertEquals(Map.of("orderId", "A-17"), map(slow.inputs()).get("arguments"));
    assertEquals("\"order A-17 shipped\"", map(slow.outputs()).get("result"));

    Span failing = steps.get(2);
    assertEquals(SpanStatus.ERROR, failing.status());
    assertEquals(IllegalStateException.class, failing.error().getClass(), "the tool's own exception");

    Span last = steps.get(3);
    assertEquals(205L, last.usage().inputTokens(), "the second round trip's own usage, not the running sum");
    List<?> messages = (List<?>) map(last.inputs()).get("messages");
    assertEquals("tool", map(messages.get(messages.size() - 1)).get("role"), "the tool results as sent");

    // The query embeddings of retrieval (one per round trip where the RAG advisor runs inside the loop) count too.
    long embeddings = kinds(root, SpanKind.EMBEDDING).stream().filter(CountedUsage::counts).mapToLong(s -> s.usage().totalTokens()).sum();
    Usage total = CountedUsage.total(root);
    assertEquals(expectedTotalTokens + embeddings, total.totalTokens(), "each round trip counted once");
    if (Models.SDK_SPAN) {
      for (Span round : List.of(first, last)) {
        assertEquals(List.of("openai.chat.completions.create"), round.children().stream().map(Span::name).toList(),
            "openai-java's span nests inside spring_ai.chat");
      }
    }
  }

  @Test
  void chatClientCallWithAdvisorsRetrievalAndToolsIsOneTree() throws Exception {
    for (int i = 0; i < 8; i++) {
      // One request per document or one for all, as the version batches them; a probe of the dimensions.
      server.enqueue(EMBEDDINGS, Reply.recorded("embeddings"));
    }
    SimpleVectorStore store = SimpleVectorStore.builder(Models.embedding(server.baseUrl())).build();
    store.add(List.of(new Document("Orders ship within two days."), new Document("Shipped orders cannot be cancelled.")));
    agent.finishedTraces().clear();

    server.enqueue(EMBEDDINGS, Reply.recorded("embeddings"));
    server.enqueue(CHAT, Reply.recorded("chat-completion-tool-calls"));
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl()))
        .defaultSystem("You are the shop's assistant.")
        .defaultAdvisors(MessageChatMemoryAdvisor.builder(MessageWindowChatMemory.builder().build()).build(),
            QuestionAnswerAdvisor.builder(store).build())
        .build();

    String answer = client.prompt().user("Cancel order A-17, please.").tools(new ShopTools())
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "customer-7")).call().content();

    assertEquals("Order A-17 has shipped, so it can no longer be cancelled.", answer);
    Span root = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat_client", root.name());
    assertEquals(SpanKind.AGENT, root.kind());
    assertEquals(answer, map(root.outputs()).get("content"));
    List<?> sent = (List<?>) map(root.inputs()).get("messages");
    assertEquals("Cancel order A-17, please.", map(sent.get(sent.size() - 1)).get("content"));

    // Chain order: the memory advisor first; 2.x puts its ToolCallingAdvisor between it and the RAG advisor.
    Span memory = root.children().get(0);
    assertEquals("spring_ai.advisor.MessageChatMemoryAdvisor", memory.name());
    assertEquals(SpanKind.CHAIN, memory.kind());
    Span qa = named(memory, "spring_ai.advisor.QuestionAnswerAdvisor");
    Span retriever = qa.children().get(0);
    assertEquals("spring_ai.retriever", retriever.name());
    assertEquals("Cancel order A-17, please.", map(retriever.inputs()).get("query"));
    List<?> documents = (List<?>) map(retriever.outputs()).get("documents");
    assertEquals(2, documents.size());
    assertNotNull(map(documents.get(0)).get("score"));
    assertEquals("spring_ai.embedding", retriever.children().get(0).name());
    List<?> added = (List<?>) map(qa.outputs()).get("added_messages");
    assertTrue(added.toString().contains("Shipped orders cannot be cancelled."), "the context the advisor added: " + added);

    assertToolLoop(root, 160 + 220);
  }

  @Test
  void chatClientStreamEndsWithTheStreamAndKeepsUsage() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream-tool-calls"));
    server.enqueue(CHAT, Reply.sse("chat-completion-stream"));
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl())).build();

    // The app asks for usage on streams as Spring AI documents it (1.x sends no stream_options otherwise).
    List<String> pieces = Models.streamUsage(client.prompt().user("Cancel order A-17, please.").tools(new ShopTools()))
        .stream().content().collectList().block(WAIT);

    assertNotNull(pieces);
    Span root = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat_client", root.name());
    assertEquals(String.join("", pieces), map(((List<?>) map(root.outputs()).get("choices")).get(0)).get("message")
        instanceof Map<?, ?> m ? m.get("content") : null);
    List<Span> llm = kinds(root, SpanKind.LLM).stream().filter(s -> s.name().equals("spring_ai.chat")).toList();
    assertEquals(2, llm.size(), "one span per round trip: " + AgentHarness.flatten(root));
    for (Span round : llm) {
      assertNotNull(round.usage(), "usage as the provider streamed it: " + round.outputs());
      assertTrue(round.usage().totalTokens() > 0);
    }
    // 1.x hands a round trip's merged tool calls to the tool manager unemitted: the first raw chunk is its first token.
    for (Span round : llm) {
      assertTrue(round.timeToFirstTokenMillis() >= 0, "time to first token: " + round);
    }
    List<Span> tools = kinds(root, SpanKind.TOOL);
    assertEquals(2, tools.size());
    for (Span tool : tools) {
      assertTrue(tool.parent().kind() != SpanKind.LLM, "tools are never inside a round trip: " + tool.parent());
    }
    assertEquals(SpanStatus.ERROR, tools.stream().filter(t -> t.name().endsWith("cancelOrder")).findFirst()
        .orElseThrow().status());
    long sum = llm.stream().mapToLong(s -> s.usage().totalTokens()).sum();
    assertEquals(sum, CountedUsage.total(root).totalTokens(), "tokens counted once");
  }

  @Test
  void streamedRoundWithTextBeforeItsToolCallsShowsBoth() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream-text-then-tool-calls"));
    server.enqueue(CHAT, Reply.sse("chat-completion-stream"));
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl())).build();

    List<String> pieces = Models.streamUsage(client.prompt().user("Cancel order A-17, please.").tools(new ShopTools()))
        .stream().content().collectList().block(WAIT);

    assertNotNull(pieces);
    Span root = agent.nextTrace(WAIT);
    List<Span> steps = loop(root);
    assertEquals(List.of("spring_ai.chat", "spring_ai.tool.orderStatus", "spring_ai.tool.cancelOrder", "spring_ai.chat"),
        steps.stream().map(Span::name).toList(), "steps: " + steps);
    Span first = steps.get(0);
    Map<?, ?> message = map(map(((List<?>) map(first.outputs()).get("choices")).get(0)).get("message"));
    assertEquals("Let me check order A-17 first.", message.get("content"), "the text streamed ahead of the tool calls");
    List<?> toolCalls = (List<?>) message.get("tool_calls");
    assertEquals(2, toolCalls == null ? 0 : toolCalls.size(), "the tool calls of the same round trip: " + message);
    assertEquals(List.of("tool_calls"), first.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals(112L, first.usage().inputTokens());
    assertEquals(169L, first.usage().totalTokens(), "the round trip's own usage");
    Span last = steps.get(3);
    assertEquals(58L, last.usage().totalTokens(), "the answer's own usage, not the running sum");
    for (Span round : List.of(first, last)) {
      assertTrue(round.timeToFirstTokenMillis() >= 0, "time to first token: " + round);
      assertTrue(round.timeToFirstTokenMillis() * 1e6 <= round.durationNanos(), "first token within the round trip");
    }
    assertEquals(169L + 58L, CountedUsage.total(root).totalTokens(), "tokens counted once");
  }

  @Test
  void retrievalAugmentationAdvisorShowsItsDocumentRetrieverAndTheSearchItRan() throws Exception {
    for (int i = 0; i < 8; i++) {
      server.enqueue(EMBEDDINGS, Reply.recorded("embeddings"));
    }
    SimpleVectorStore store = SimpleVectorStore.builder(Models.embedding(server.baseUrl())).build();
    store.add(List.of(new Document("Orders ship within two days."), new Document("Gift cards never expire.")));
    agent.finishedTraces().clear();
    server.enqueue(CHAT, Reply.recorded("chat-completion"));
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl()))
        .defaultAdvisors(RetrievalAugmentationAdvisor.builder()
            .documentRetriever(VectorStoreDocumentRetriever.builder().vectorStore(store).topK(1).build())
            .build())
        .build();

    client.prompt().user("When does my order ship?").call().content();

    Span root = agent.nextTrace(WAIT);
    Span rag = named(root, "spring_ai.advisor.RetrievalAugmentationAdvisor");
    Span retriever = named(rag, "spring_ai.retriever");
    assertEquals(1, kinds(root, SpanKind.RETRIEVER).size(), "the retriever and the store it searched make one span");
    assertEquals("When does my order ship?", map(retriever.inputs()).get("query"));
    assertEquals(1, map(map(retriever.inputs()).get("search_request")).get("top_k"));
    List<?> documents = (List<?>) map(retriever.outputs()).get("documents");
    assertEquals(1, documents.size());
    // The recorded embeddings may give both documents one vector (1.x embeds them one by one): whichever was found.
    Object found = map(documents.get(0)).get("content");
    Span chat = named(rag, "spring_ai.chat");
    List<?> sent = (List<?>) map(chat.inputs()).get("messages");
    assertTrue(sent.toString().contains((String) found), "the context as sent: " + sent);
  }

  record SearchLink(String url) {}

  @Test
  void entityCallIsOneAgentSpanWithTheEntityAsOutput() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-structured"));
    ChatClient client = ChatClient.create(Models.chat(server.baseUrl()));

    SearchLink link = client.prompt().user("Find Java YAML parsers on GitHub").call().entity(SearchLink.class);

    assertEquals("https://github.com/search?q=java+yaml+parser&type=repositories", link.url());
    Span root = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat_client", root.name(), "entity(...) and what it calls make one span");
    assertEquals(SearchLink.class.getName(), map(root.inputs()).get("entity_type"));
    // Objects render as CapturedValues does everywhere: strings, numbers, collections and maps as JSON, others as toString().
    assertEquals(link.toString(), map(root.outputs()).get("entity"));
    // 2.x puts its ToolCallingAdvisor in every chain; the model call is one round trip either way.
    assertEquals(1, kinds(root, SpanKind.LLM).stream().filter(s -> s.name().equals("spring_ai.chat")).count());
  }

  /**
   * The app gets the Flux the model returns, not one of the agent's: the same class and toString() as a
   * Flux.deferContextual of the app's own, which is what every Spring AI model's stream() returns. Its span
   * still ends when the app stops reading (cancel) and when the stream fails.
   */
  @Test
  void streamReturnsTheModelsOwnFluxWhoseSpanEndsOnCancelAndOnError() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream"));
    server.enqueue(CHAT, Reply.json(500, OpenAiTestServer.recorded("error-500")));
    ChatModel model = Models.chat(server.baseUrl());
    Flux<?> own = Flux.deferContextual(context -> Flux.empty());

    Flux<ChatResponse> flux = model.stream(new Prompt("Say hello."));
    assertSame(own.getClass(), flux.getClass());
    assertEquals(own.toString(), flux.toString());
    ChatResponse first = flux.blockFirst(WAIT);

    assertNotNull(first);
    Span cancelled = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat", cancelled.name());
    assertEquals(SpanStatus.OK, cancelled.status(), "the app stopped reading: what it read is the output");
    assertEquals(1, cancelled.attributes().get("wandb.stream.chunks"));

    Flux<ChatResponse> failing = model.stream(new Prompt("Say hello."));
    assertSame(own.getClass(), failing.getClass());
    assertThrows(RuntimeException.class, () -> failing.blockLast(WAIT));
    Span failed = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat", failed.name());
    assertEquals(SpanStatus.ERROR, failed.status());
  }

  @Test
  void streamWhoseProviderSentNoUsageReportsNoneRatherThanZero() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream"));
    ChatModel model = Models.chat(server.baseUrl());

    List<ChatResponse> chunks = model.stream(new Prompt("Say hello.")).collectList().block(WAIT);

    assertNotNull(chunks);
    Span root = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat", root.name());
    String sent = server.requests().get(0).body().replace(" ", "");
    if (sent.contains("\"include_usage\":true")) {
      assertTrue(root.usage().totalTokens() > 0, "the usage the provider streamed");
    } else {
      assertEquals(null, root.usage(), "the provider sent none: none, not 0");
    }
    assertTrue(root.timeToFirstTokenMillis() >= 0);
    assertEquals(chunks.size(), root.attributes().get("wandb.stream.chunks"));
  }

  @Test
  void directModelCallOfferingToolsThatAnswersAtOnceIsJustTheRoundTrip() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion"));
    ChatModel model = Models.chat(server.baseUrl());
    OpenAiChatOptions options = OpenAiChatOptions.builder()
        .toolCallbacks(Arrays.asList(ToolCallbacks.from(new ShopTools()))).build();

    ChatResponse response = model.call(new Prompt("Find Java YAML parsers on GitHub", options));

    Span root = agent.nextTrace(WAIT);
    assertEquals("spring_ai.chat", root.name(), "a single round trip is just the LLM span: " + AgentHarness.flatten(root));
    assertEquals(SpanKind.LLM, root.kind());
    assertEquals(null, root.parentId());
    assertEquals(response.getResult().getOutput().getText(),
        map(map(((List<?>) map(root.outputs()).get("choices")).get(0)).get("message")).get("content"));
    assertEquals(2, ((List<?>) map(root.inputs()).get("tools")).size(), "the tools offered, as sent");
    assertEquals(1, server.requests().size());
  }

  @Test
  void directModelStreamWithToolsIsOneTrace() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream-text-then-tool-calls"));
    server.enqueue(CHAT, Reply.sse("chat-completion-stream"));
    ChatModel model = Models.chat(server.baseUrl());
    OpenAiChatOptions options = OpenAiChatOptions.builder().streamUsage(true)
        .toolCallbacks(Arrays.asList(ToolCallbacks.from(new ShopTools()))).build();

    List<ChatResponse> chunks = model.stream(new Prompt("Cancel order A-17, please.", options)).collectList().block(WAIT);

    assertNotNull(chunks);
    Span root = agent.nextTrace(WAIT);
    if (Models.LOOP_IN_MODEL) {
      assertEquals("spring_ai.chat_model", root.name(), "the round trips and tools in one trace: " + AgentHarness.flatten(root));
      List<Span> steps = loop(root);
      assertEquals(List.of("spring_ai.chat", "spring_ai.tool.orderStatus", "spring_ai.tool.cancelOrder", "spring_ai.chat"),
          steps.stream().map(Span::name).toList(), "steps: " + steps);
      for (Span step : steps) {
        assertSame(root, step.parent(), "siblings under the call's span: " + step);
      }
      assertTrue(root.endEpochNanos() >= steps.get(3).endEpochNanos(), "the call's span ends with its stream");
      assertEquals(169L + 58L, CountedUsage.total(root).totalTokens(), "tokens counted once");
    } else {
      // 2.x: the model streams one round trip, its tool calls included, and leaves the loop to ChatClient.
      assertEquals("spring_ai.chat", root.name());
      assertEquals(169L, root.usage().totalTokens());
    }
    assertEquals(0, agent.finishedTraces().size(), "no other trace: " + agent.finishedTraces());
  }

  @Test
  void directModelCallWithToolsIsOneTrace() throws Exception {
    server.enqueue(CHAT, Reply.recorded("chat-completion-tool-calls"));
    server.enqueue(CHAT, Reply.recorded("chat-completion-after-tools"));
    ChatModel model = Models.chat(server.baseUrl());
    OpenAiChatOptions options = OpenAiChatOptions.builder()
        .toolCallbacks(Arrays.asList(ToolCallbacks.from(new ShopTools()))).build();

    ChatResponse response = model.call(new Prompt("Cancel order A-17, please.", options));

    Span root = agent.nextTrace(WAIT);
    if (Models.LOOP_IN_MODEL) {
      assertEquals("Order A-17 has shipped, so it can no longer be cancelled.", response.getResult().getOutput().getText());
      assertEquals("spring_ai.chat_model", root.name());
      assertEquals(SpanKind.CHAIN, root.kind());
      assertToolLoop(root, 160 + 220);
    } else {
      // 2.x: the model makes one round trip and hands the tool calls back; ChatClient's advisor loops.
      assertEquals("spring_ai.chat", root.name());
      assertEquals(SpanKind.LLM, root.kind());
      assertEquals(160L, root.usage().totalTokens());
    }
  }
}
