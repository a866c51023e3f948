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

  @Test
  void parsesTextLongerThanJacksonsDefaultLimitSoItCanBeTruncatedInsteadOfLost() throws IOException {
    String big = "y".repeat(21_000_000);
    Map<String, Object> tree = Json.parseObject("{\"content\":\"" + big + "\"}");
    assertEquals(big.length(), ((String) tree.get("content")).length());
  }

  @Test
  void parsingStopsDescendingAtTheDepthBoundAndKeepsTheRest() throws IOException {
    int depth = 5_000;
    String text = "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"b\":\"kept\"}";
    Map<String, Object> tree = Json.parseObject(text);
    assertEquals("kept", tree.get("b"));
    Object node = tree.get("a");
    int levels = 1;
    while (node instanceof java.util.List) {
      node = ((java.util.List<?>) node).get(0);
      levels++;
    }
    assertEquals(CapturedValues.MAX_DEPTH, levels);
    assertEquals(CapturedValues.TOO_DEEP, node);
  }

  @Test
  void countsTheUtf8BytesOfTheTextWithoutWritingIt() {
    // ASCII, two- and three-byte characters, a surrogate pair (4 bytes) and a lone surrogate ('?', 1 byte),
    // in strings long enough to cross the generator's buffer.
    String text = "plain \"quoted\" é ü 漢字 \uD83D\uDE00 lone \uD800 end ";
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("short", text);
    tree.put("long", text.repeat(2000));
    tree.put("list", Arrays.asList(1, 2.5, null, true, text));
    assertEquals(Json.write(tree).getBytes(java.nio.charset.StandardCharsets.UTF_8).length, Json.utf8Length(tree));
  }

  @Test
  void readsBackFromUtf8BytesWhatItWroteToAStream() throws IOException {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("text", "é 漢字 \uD83D\uDE00 \"quoted\"");
    tree.put("n", 12345678901234L);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write('x');
    Json.writeUtf8(tree, out);
    out.write('\n');
    Json.writeUtf8(tree, out);
    byte[] bytes = out.toByteArray();
    int line = (bytes.length - 2) / 2;
    assertEquals(tree, Json.parseObject(bytes, 1, line));
    assertEquals(tree, Json.parseObject(bytes, 2 + line, line));
  }

  /** Java 8-18's Double.toString writes 1.0E23 as 9.999999999999999E22; the shortest form reads back the same. */
  @Test
  void doublesAreWrittenInTheirShortestFormAndReadBackTheSame() throws IOException {
    Map<String, Object> tree = new LinkedHashMap<String, Object>();
    tree.put("big", 1.0E23);
    tree.put("duration_ms", 52.345678);
    tree.put("small", 0.002);
    String json = Json.write(tree);
    assertEquals("{\"big\":1.0E23,\"duration_ms\":52.345678,\"small\":0.002}", json);
    assertEquals(tree, Json.parseObject(json));
  }
}
