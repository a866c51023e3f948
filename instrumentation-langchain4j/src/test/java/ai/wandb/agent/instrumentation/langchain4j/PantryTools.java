package ai.wandb.agent.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolMemoryId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Tools as apps write them: a package-private class, package-private and static methods, a void tool, a memory id. */
class PantryTools {
  static final List<String> RESTOCKED = new CopyOnWriteArrayList<>();

  @Tool("How many bags of an item are in the pantry")
  String stock(String item) {
    return "12 bags of " + item;
  }

  @Tool("The price of one bag of an item")
  static double price(String item) {
    return 2.4;
  }

  @Tool("Orders more of an item")
  void restock(String item) {
    RESTOCKED.add(item);
  }

  @Tool("What is in the customer's basket")
  String basket(@ToolMemoryId String customer) {
    return customer + "'s basket: flour";
  }
}
