package ai.wandb.agent.instrumentation.springai;

import org.springframework.ai.tool.annotation.Tool;

/** The tools of the shop assistant, as an app writes them: a package-private class with @Tool methods. */
class ShopTools {
  static final long SLOW_MILLIS = 150;

  @Tool(description = "Shipping status of an order")
  String orderStatus(String orderId) throws InterruptedException {
    Thread.sleep(SLOW_MILLIS);
    return "order " + orderId + " shipped";
  }

  @Tool(description = "Cancels an order that has not shipped")
  String cancelOrder(String orderId) {
    throw new IllegalStateException("order " + orderId + " cannot be cancelled: it has shipped");
  }
}
