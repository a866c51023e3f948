package ai.wandb.agent.instrumentation.springai;

import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.prompt.Prompt;

/** An app's own advisor, written the way apps write them: package-private, adding a rule to the system prompt. */
class ShopGuardAdvisor implements CallAdvisor {
  static final String RULE = "Never read out a customer's card number.";

  @Override
  public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
    // A system message of its own (Prompt.augmentSystemMessage(String) would replace the one the memory advisor wrote).
    List<Message> messages = new ArrayList<>(request.prompt().getInstructions());
    messages.add(new SystemMessage(RULE));
    return chain.nextCall(request.mutate().prompt(new Prompt(messages, request.prompt().getOptions())).build());
  }

  @Override
  public String getName() {
    return "shopGuard";
  }

  @Override
  public int getOrder() {
    return 0;
  }
}
