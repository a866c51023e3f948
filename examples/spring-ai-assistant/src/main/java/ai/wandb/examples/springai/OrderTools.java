package ai.wandb.examples.springai;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.stereotype.Component;

/** The shop's order tools: a slow status look-up, and a cancellation that fails for shipped orders. */
@Component
class OrderTools {
    static final long STATUS_MILLIS = 200;

    @Tool(description = "Shipping status of an order, by its id (e.g. A-17)")
    String orderStatus(String orderId) throws InterruptedException {
        Thread.sleep(STATUS_MILLIS);
        return "Order " + orderId + " shipped yesterday.";
    }

    @Tool(description = "Cancels an order that has not shipped yet")
    String cancelOrder(String orderId) {
        throw new IllegalStateException("order " + orderId + " has shipped and cannot be cancelled");
    }
}
