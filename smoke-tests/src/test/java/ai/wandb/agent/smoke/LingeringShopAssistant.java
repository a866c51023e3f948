package ai.wandb.agent.smoke;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * The LangChain4j example app as a longer-lived program runs it: it answers its two questions, then
 * keeps running (a server between requests, a batch job's tail) for the milliseconds given as the
 * second argument before it exits with the example's status. Run with the example jar on the class path.
 */
final class LingeringShopAssistant {
  private LingeringShopAssistant() {}

  public static void main(String[] args) throws Exception {
    Class<?> app = Class.forName("ai.wandb.examples.langchain4j.ShopAssistantApp");
    Method run = app.getDeclaredMethod("run", String[].class, Map.class, PrintStream.class, PrintStream.class);
    run.setAccessible(true);
    int status = (Integer) run.invoke(null, new String[] {args[0]}, System.getenv(), System.out, System.err);
    System.out.println("lingering for " + args[1] + " ms");
    Thread.sleep(Long.parseLong(args[1]));
    System.exit(status);
  }
}
