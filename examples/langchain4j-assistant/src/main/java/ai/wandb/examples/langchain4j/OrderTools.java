package ai.wandb.examples.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import java.io.PrintStream;

/** The assistant's tools: a slow order lookup and a cancellation that always fails (orders have shipped). */
public final class OrderTools {
    /** How long an order lookup takes; the smoke test checks the tool's span lasts at least this. */
    static final long LOOKUP_MILLIS = 400;

    private final PrintStream out;

    OrderTools(PrintStream out) {
        this.out = out;
    }

    @Tool("Looks up the shipping status of an order")
    public String orderStatus(String orderId) throws InterruptedException {
        Thread.sleep(LOOKUP_MILLIS);
        out.println("[tool] orderStatus(" + orderId + ") took " + LOOKUP_MILLIS + " ms");
        return "Order " + orderId + " shipped yesterday and arrives on Friday.";
    }

    @Tool("Cancels an order that has not shipped yet")
    public String cancelOrder(String orderId) {
        out.println("[tool] cancelOrder(" + orderId + ") failed");
        throw new IllegalStateException("Order " + orderId + " has already shipped and cannot be cancelled");
    }
}
