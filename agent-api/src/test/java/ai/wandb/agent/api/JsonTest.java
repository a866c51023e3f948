package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesAndWritesTreesKeepingFieldOrder() throws IOException {
    String text = "{\"b\":1,\"a\":[true,null,2.5,\"x\"],\"c\":{\"d\":12345678901234}}";
    Object tree = Json.parse(text);
    assertEquals(text, Json.write(tree));
  }

  @Test
  void writesNonFiniteNumbersAsNull() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("nan", Double.NaN);
    tree.put("list", Arrays.asList(1, Double.POSITIVE_INFINITY));
    assertEquals("{\"nan\":null,\"list\":[1,null]}", Json.write(tree));
  }

  @Test
  void rejectsANonObjectWhereAnObjectIsExpected() {
    assertThrows(IOException.class, () -> Json.parseObject("[1]"));
    assertThrows(IOException.class, () -> Json.parse(""));
  }
}
