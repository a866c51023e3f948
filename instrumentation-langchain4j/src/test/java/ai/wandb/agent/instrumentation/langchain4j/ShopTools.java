package ai.wandb.agent.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Two tools of the scenario: one that takes a while, one that always throws. */
public final class ShopTools {
  static final long SLOW_MILLIS = 300;

  final List<String> threads = new CopyOnWriteArrayList<>();

  @Tool("Looks up the shipping status of an order")
  public String orderStatus(String orderId) throws InterruptedException {
    threads.add(Thread.currentThread().getName());
    Thread.sleep(SLOW_MILLIS);
    return "order " + orderId + " shipped";
  }

  @Tool("Cancels an order")
  public String cancelOrder(String orderId) {
    threads.add(Thread.currentThread().getName());
    throw new IllegalStateException("order " + orderId + " has shipped and cannot be cancelled");
  }
}
