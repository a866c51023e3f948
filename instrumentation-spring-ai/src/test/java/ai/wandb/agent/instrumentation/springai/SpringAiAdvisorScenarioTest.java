package ai.wandb.agent.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.Advisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import reactor.core.publisher.Flux;

/**
 * Advisor chains as apps build them: Spring AI's memory advisor ({@code PromptChatMemoryAdvisor} on 1.x,
 * where it exists; 2.0 has only {@code MessageChatMemoryAdvisor}) around the app's own advisors, each a span
 * nested in chain order showing what it added to the prompt.
 */
class SpringAiAdvisorScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT = "/v1/chat/completions";

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

  private static Span chat(Span root) {
    return named(root, "spring_ai.chat");
  }

  private static boolean isInside(Span span, Span ancestor) {
    for (Span up = span.parent(); up != null; up = up.parent()) {
      if (up == ancestor) {
        return true;
      }
    }
    return false;
  }

  private static String added(Span advisor) {
    return String.valueOf(map(advisor.outputs()).get("added_messages"));
  }

  @Test
  void memoryAdvisorAroundTheAppsOwnCallAdvisor() throws Exception {
    server.enqueue(CHAT, Reply.chatCompletionSaying("Order A-17 shipped yesterday."));
    server.enqueue(CHAT, Reply.chatCompletionSaying("It should arrive tomorrow."));
    ChatMemory memory = MessageWindowChatMemory.builder().build();
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl()))
        .defaultSystem("You are the shop's assistant.")
        .defaultAdvisors(new ShopGuardAdvisor(), Models.memoryAdvisor(memory))
        .build();

    client.prompt().user("Where is order A-17?").advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "customer-7"))
        .call().content();
    agent.nextTrace(WAIT);
    String answer = client.prompt().user("When will it arrive?")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "customer-7")).call().content();

    assertEquals("It should arrive tomorrow.", answer);
    Span root = agent.nextTrace(WAIT);
    // Chain order is getOrder's: the memory advisor (HIGHEST_PRECEDENCE + 1000) runs before the app's (0).
    Span memorySpan = named(root, "spring_ai.advisor." + Models.MEMORY_ADVISOR);
    assertSame(root, memorySpan.parent(), "the first advisor in the chain is the chat client's child");
    assertEquals(SpanKind.CHAIN, memorySpan.kind());
    Span guard = named(root, "spring_ai.advisor.ShopGuardAdvisor");
    assertTrue(isInside(guard, memorySpan), "the app's advisor runs inside the memory advisor: " + guard.parent());
    assertEquals(ShopGuardAdvisor.class.getName(), guard.attributes().get("spring_ai.advisor.class"));
    assertEquals(0, guard.attributes().get("spring_ai.advisor.order"));
    Span model = chat(root);
    assertTrue(isInside(model, guard), "the model is called at the end of the chain");

    assertTrue(added(memorySpan).contains("Where is order A-17?") && added(memorySpan).contains("shipped yesterday"),
        "the conversation the memory advisor added: " + added(memorySpan));
    assertTrue(added(guard).contains(ShopGuardAdvisor.RULE), "the rule the app's advisor added: " + added(guard));
    String sent = String.valueOf(map(model.inputs()).get("messages"));
    assertTrue(sent.contains(ShopGuardAdvisor.RULE) && sent.contains("shipped yesterday"), "as sent: " + sent);
    assertEquals(answer, map(root.outputs()).get("content"));
    assertTrue(String.valueOf(map(guard.outputs()).get("response")).contains(answer), "what came back through the app's advisor");
  }

  @Test
  void theAppsOwnStreamAdvisorNestsInChainOrderAcrossReactor() throws Exception {
    server.enqueue(CHAT, Reply.sse("chat-completion-stream"));
    ChatMemory memory = MessageWindowChatMemory.builder().build();
    StreamAdvisor audit = new StreamAdvisor() {
      @Override
      public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
        ChatClientRequest marked = request.mutate().context("audit", "on").build();
        return chain.nextStream(marked).filter(response -> response.chatResponse() != null);
      }

      @Override
      public String getName() {
        return "audit";
      }

      @Override
      public int getOrder() {
        return Advisor.DEFAULT_CHAT_MEMORY_PRECEDENCE_ORDER + 10;
      }
    };
    ChatClient client = ChatClient.builder(Models.chat(server.baseUrl()))
        .defaultAdvisors(audit, Models.memoryAdvisor(memory))
        .build();

    List<String> pieces = client.prompt().user("Find Java YAML parsers on GitHub")
        .advisors(a -> a.param(ChatMemory.CONVERSATION_ID, "customer-8")).stream().content().collectList().block(WAIT);

    assertNotNull(pieces);
    Span root = agent.nextTrace(WAIT);
    Span memorySpan = named(root, "spring_ai.advisor." + Models.MEMORY_ADVISOR);
    // An anonymous class: its binary name without the package.
    String auditName = "spring_ai.advisor." + audit.getClass().getName().substring(audit.getClass().getName().lastIndexOf('.') + 1);
    Span auditSpan = named(root, auditName);
    assertTrue(isInside(auditSpan, memorySpan), "chain order: " + auditSpan.parent());
    Span model = chat(root);
    assertTrue(isInside(model, auditSpan), "the model is called inside the app's stream advisor: " + model.parent());
    assertEquals("on", map(map(map(auditSpan.outputs()).get("request")).get("context")).get("audit"),
        "what the app's advisor handed on: " + auditSpan.outputs());
    Map<?, ?> folded = map(map(((List<?>) map(map(auditSpan.outputs()).get("response")).get("choices")).get(0)).get("message"));
    assertEquals(String.join("", pieces), folded.get("content"), "what streamed back through the app's advisor");
  }
}
