package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.GITHUB_URL_ASSISTANT;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated viewer in a real browser (Debian's chromium, headless, over the DevTools protocol), on
 * the traces the example apps leave: the GitHub URL assistant (three openai-java calls, one failing) and
 * the LangChain4j assistant on langchain4j-open-ai-official, whose model calls are traced twice (a
 * LangChain4j span over an openai-java span) and must count once. Every test ends with no console
 * error and no uncaught exception in the page. Screenshots go to {@code target/viewer*.png}.
 */
class ViewerBrowserTest {
  private static final Path LANGCHAIN4J_ASSISTANT =
      JavaProcess.EXAMPLES.resolve("langchain4j-assistant/target/langchain4j-assistant.jar");
  private static final String[] QUESTIONS = {
    "find java libraries for parsing yaml", "rust web frameworks with websockets", "fail-demo please"
  };
  private static final String ITEMS = "document.querySelectorAll('.trace-item').length";
  private static final String ROWS = "document.querySelectorAll('.tl-row[role=treeitem]').length";

  @TempDir
  static Path work;

  private static Path apps;
  private static Path traces;
  private static List<Map<String, Object>> lines;
  private static HeadlessChromium browser;
  private boolean errorsExpected;

  @BeforeAll
  static void runTheExamplesAndStartABrowser() throws Exception {
    Path binary = HeadlessChromium.binary();
    Assumptions.assumeTrue(binary != null, "no chromium on the PATH (.ci/run installs Debian's chromium)");
    apps = work.resolve("apps");
    Files.createDirectories(apps);
    JavaProcess.Result github = java().withAgent(null).in(apps).runJar(GITHUB_URL_ASSISTANT, QUESTIONS);
    assertEquals(1, github.exitCode(), github.stderr());
    JavaProcess.Result shop = java().withAgent(null).in(apps).runJar(LANGCHAIN4J_ASSISTANT, "open-ai-official");
    assertEquals(0, shop.exitCode(), shop.stderr());
    traces = TraceFiles.tracesDir(apps);
    lines = TraceFiles.readTraces(traces);
    assertEquals(6, lines.size(), "3 GitHub questions; the shop's start-up embedding and 2 questions");
    browser = new HeadlessChromium(binary, work.resolve("profile"));
  }

  @AfterAll
  static void closeTheBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void desktop() throws Exception {
    browser.viewport(1280, 800);
  }

  @AfterEach
  void noConsoleErrors() {
    List<String> errors = browser.takeErrors();
    if (!errorsExpected) {
      assertEquals(List.of(), errors, "the page logged errors");
    }
  }

  private static String url(Path dir) {
    return dir.resolve("index.html").toUri().toString();
  }

  /** Opens the viewer and waits for its first read of traces.js and the chunks it lists. */
  private static void open(Path dir) throws Exception {
    browser.open(url(dir));
    browser.waitFor(ITEMS + " > 0", 20);
  }

  /** A copy of a traces folder (its chunks/ included), as another folder the app writes to. */
  private static Path copyOfTheTraces(String name) throws Exception {
    Path folder = TraceFiles.tracesDir(work.resolve(name));
    try (Stream<Path> files = Files.walk(traces)) {
      for (Path file : files.toList()) {
        Path target = folder.resolve(traces.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return folder;
  }

  private static void set(String id, String value) throws Exception {
    String event = id.equals("search") || id.equals("tokens-filter") ? "input" : "change";
    browser.eval("(() => { const e = document.getElementById('" + id + "'); e.value = " + js(value) + ";"
        + " e.dispatchEvent(new Event('" + event + "')); })()");
  }

  private static void key(String key) throws Exception {
    browser.eval("document.getElementById('timeline').dispatchEvent(new KeyboardEvent('keydown', {key: " + js(key)
        + ", bubbles: true}))");
  }

  private static String js(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static void click(String selector, String containing) throws Exception {
    browser.eval("[...document.querySelectorAll(" + js(selector) + ")].find(e => e.textContent.includes("
        + js(containing) + ")).click()");
  }

  /** Opens the blocking ShopAssistant trace (not the streaming one, whose name contains it). */
  private static void openShopTrace() throws Exception {
    browser.eval("[...document.querySelectorAll('.trace-item')].find(e => e.querySelector('.ti-name').title"
        + " === 'langchain4j.ai_service.ShopAssistant.chat').click()");
  }

  private static Stream<Map<String, Object>> spans(Map<String, Object> span) {
    return Stream.concat(Stream.of(span), list(span.get("children")).stream().flatMap(c -> spans(object(c))));
  }

  private static long tokens(Map<String, Object> line) {
    Map<String, Object> usage = object(object(line.get("totals")).get("usage"));
    return usage == null ? 0 : ((Number) usage.get("total_tokens")).longValue();
  }

  private static long count(Predicate<Map<String, Object>> filter) {
    return lines.stream().filter(filter).count();
  }

  private static Map<String, Object> shopTrace() {
    return lines.stream().filter(l -> l.get("name").equals("langchain4j.ai_service.ShopAssistant.chat")).findFirst()
        .orElseThrow();
  }

  @Test
  void theTotalsBarMatchesTheJsonlCountingEachLayeredCallOnce() throws Exception {
    open(traces);
    assertEquals(6L, browser.count(ITEMS, 10));
    long tokens = lines.stream().mapToLong(ViewerBrowserTest::tokens).sum();
    double cost = lines.stream().map(l -> object(l.get("totals")).get("cost_usd")).filter(c -> c != null)
        .mapToDouble(c -> ((Number) c).doubleValue()).sum();
    long everySpansTokens = lines.stream().flatMap(ViewerBrowserTest::spans).map(s -> object(s.get("usage")))
        .filter(u -> u != null).mapToLong(u -> ((Number) u.get("total_tokens")).longValue()).sum();
    assertTrue(everySpansTokens > tokens, "the layered calls carry their usage on two spans");

    assertEquals(String.valueOf(tokens), browser.eval("document.getElementById('totals').dataset.tokens"));
    assertEquals(cost, Double.parseDouble((String) browser.eval("document.getElementById('totals').dataset.cost")), 1e-12);
    assertEquals("6", browser.eval("document.getElementById('totals').dataset.traces"));
    assertEquals(String.valueOf(count(l -> ((Number) object(l.get("totals")).get("errors")).intValue() > 0)),
        browser.eval("document.getElementById('totals').dataset.errors"));
    String bar = (String) browser.eval("document.getElementById('totals').innerText");
    assertTrue(bar.contains("p50") && bar.contains("p95") && bar.contains("$"), bar);

    openShopTrace();
    String head = (String) browser.waitFor("document.getElementById('trace-head').innerText", 10);
    assertTrue(head.contains("Tokens " + tokens(shopTrace())), head);
    click(".tl-row[role=treeitem]", "chat gpt-4o-mini");
    browser.waitFor("document.querySelector('#detail .chat') !== null", 10);
    browser.screenshot(Paths.get("target", "viewer.png"));
  }

  @Test
  void aTraceOpensAsATreeWithWeaveLikeNamesAndItsSpansDetail() throws Exception {
    open(traces);
    openShopTrace();
    assertEquals(spans(shopTrace()).count(), browser.count(ROWS, 10), "one timeline row per span, all expanded");
    String tree = (String) browser.eval("document.getElementById('timeline').innerText");
    assertTrue(tree.contains("chat gpt-4o-mini"), "Weave's name for a chat call: " + tree);
    assertTrue(tree.contains("tool orderStatus"), tree);
    click(".tl-row[role=treeitem]", "cancelOrder");
    String detail = (String) browser.waitFor("document.getElementById('detail').innerText", 10);
    assertTrue(detail.contains("IllegalStateException"), detail);
    assertTrue(detail.contains("langchain4j.tool.cancelOrder"), "the span's own name is in its detail: " + detail);

    click(".tl-row[role=treeitem]", "chat gpt-4o-mini");
    detail = (String) browser.eval("document.getElementById('detail').innerText");
    assertTrue(detail.contains("Not added to the totals"), "the outer layer of a layered call says so: " + detail);
    assertTrue(detail.contains("Cost"), detail);
  }

  @Test
  void theKeyboardMovesBetweenSpansAndFoldsThem() throws Exception {
    open(traces);
    openShopTrace();
    long all = browser.count(ROWS, 10);
    String selected = "document.querySelector('.tl-row.selected').textContent";
    assertTrue(((String) browser.eval(selected)).contains("ShopAssistant.chat"));
    key("ArrowDown");
    assertTrue(((String) browser.eval(selected)).contains("langchain4j.retriever"), (String) browser.eval(selected));
    key("ArrowLeft");
    assertEquals(all - 1, browser.count(ROWS, 5), "left collapses the retriever over its embedding span");
    key("ArrowRight");
    assertEquals(all, browser.count(ROWS, 5));
    key("ArrowRight");
    assertTrue(((String) browser.eval(selected)).contains("langchain4j.embedding"), "right on an open span goes to its child");
    key("ArrowLeft");
    assertTrue(((String) browser.eval(selected)).contains("langchain4j.retriever"), "left on a leaf goes to its parent");
  }

  @Test
  void searchNarrowsTheListAndHighlightsTheHitsInTheDetail() throws Exception {
    open(traces);
    set("search", "yaml");
    browser.waitFor(ITEMS + " === 1", 10);
    assertTrue(browser.count("document.querySelectorAll('#detail mark').length", 10) > 0);
    assertEquals("yaml", browser.eval("document.querySelector('#detail mark').textContent.toLowerCase()"));
    set("search", "");
    browser.waitFor(ITEMS + " === 6", 10);
    assertEquals(0L, browser.count("document.querySelectorAll('#detail mark').length", 1));
  }

  @Test
  void filtersByStatusKindModelDurationAndTokensAndSorts() throws Exception {
    open(traces);
    browser.waitFor(ITEMS + " === 6", 10);

    set("status-filter", "ERROR");
    assertEquals(count(l -> spans(l).anyMatch(s -> "ERROR".equals(s.get("status")))), browser.count(ITEMS, 10));
    set("status-filter", "OK");
    assertEquals(count(l -> spans(l).noneMatch(s -> "ERROR".equals(s.get("status")))), browser.count(ITEMS, 10));
    set("status-filter", "");

    set("kind-filter", "TOOL");
    assertEquals(count(l -> spans(l).anyMatch(s -> "TOOL".equals(s.get("kind")))), browser.count(ITEMS, 10));
    set("kind-filter", "");

    String model = (String) browser.eval("document.getElementById('model-filter').options[1].value");
    set("model-filter", model);
    assertEquals(count(l -> spans(l).anyMatch(s -> model.equals(model(s)))), browser.count(ITEMS, 10), model);
    set("model-filter", "");

    set("duration-filter", "1000");
    assertEquals(count(l -> ((Number) l.get("duration_ms")).doubleValue() >= 1000), browser.count(ITEMS, 10));
    set("duration-filter", "");

    set("tokens-filter", "100");
    assertEquals(count(l -> tokens(l) >= 100), browser.count(ITEMS, 10));
    set("tokens-filter", "");
    browser.waitFor(ITEMS + " === 6", 10);

    set("sort", "tokens");
    long most = lines.stream().mapToLong(ViewerBrowserTest::tokens).max().orElseThrow();
    String first = (String) browser.eval("document.querySelector('.trace-item .ti-meta').textContent");
    assertTrue(first.contains(most + " tok"), first);
    set("sort", "duration");
    double slowest = lines.stream().mapToDouble(l -> ((Number) l.get("duration_ms")).doubleValue()).max().orElseThrow();
    String name = lines.stream().filter(l -> ((Number) l.get("duration_ms")).doubleValue() == slowest).findFirst()
        .orElseThrow().get("name").toString();
    String firstTitle = (String) browser.eval("document.querySelector('.trace-item .ti-name').title");
    assertEquals(name, firstTitle);
  }

  private static String model(Map<String, Object> span) {
    Map<String, Object> attributes = object(span.get("attributes"));
    for (String key : List.of("gen_ai.response.model", "gen_ai.request.model")) {
      if (attributes != null && attributes.get(key) instanceof String value) {
        return value;
      }
    }
    Object inputs = span.get("inputs");
    return inputs instanceof Map<?, ?> map && map.get("model") instanceof String value ? value : null;
  }

  @Test
  void atPhoneWidthOnePaneShowsAtATimeAndNothingOverflowsSideways() throws Exception {
    browser.viewport(360, 740);
    open(traces);
    browser.waitFor(ITEMS + " === 6", 10);
    assertEquals(Boolean.TRUE, browser.eval("document.documentElement.scrollWidth <= 360"),
        "page width " + browser.eval("document.documentElement.scrollWidth"));
    browser.screenshot(Paths.get("target", "viewer-360-list.png"));

    openShopTrace();
    browser.waitFor("getComputedStyle(document.getElementById('trace-pane')).display !== 'none'", 10);
    click(".tl-row[role=treeitem]", "chat gpt-4o-mini");
    assertEquals(Boolean.TRUE, browser.eval("document.documentElement.scrollWidth <= 360"),
        "page width " + browser.eval("document.documentElement.scrollWidth"));
    assertTrue(((Number) browser.eval("document.getElementById('detail').clientWidth")).intValue() >= 340,
        "the detail gets the width, words are not broken letter by letter");
    browser.screenshot(Paths.get("target", "viewer-360.png"));
    click(".back-btn", "Traces");
    browser.waitFor("getComputedStyle(document.getElementById('list-pane')).display !== 'none'", 10);
  }

  @Test
  void newTracesAppearWhileThePageIsOpenAndLongMessagesFold() throws Exception {
    Path folder = copyOfTheTraces("live");
    Path live = work.resolve("live");
    open(folder);
    browser.waitFor(ITEMS + " === 6", 10);

    String longQuestion = "find java libraries for parsing yaml " + "and tell me everything about each of them, ".repeat(40);
    JavaProcess.Result run = java().withAgent(null).in(live).runJar(GITHUB_URL_ASSISTANT, longQuestion);
    assertEquals(0, run.exitCode(), run.stderr());
    browser.waitFor(ITEMS + " === 7", 30);
    assertEquals("7", browser.eval("document.getElementById('totals').dataset.traces"));

    click(".trace-item", "tell me everything");
    browser.waitFor("document.querySelector('#detail .fold.folded') !== null", 10);
    click("#detail .fold-toggle", "Show more");
    assertEquals(Boolean.FALSE, browser.eval("document.querySelector('#detail .fold-toggle').closest('.fold')"
        + ".classList.contains('folded')"));
    click("#detail .copy-btn", "Copy");
    assertNotEquals("Copy", browser.waitFor("document.querySelector('#detail .copy-btn').textContent !== 'Copy'"
        + " && document.querySelector('#detail .copy-btn').textContent", 5));
  }

  private static final String INDEX_READS = "Number(document.getElementById('live-label').dataset.reads)";

  /** Waits until the open page has read traces.js twice more, so it has seen what was written before. */
  private static void awaitTwoMoreLooks() throws Exception {
    long reads = ((Number) browser.eval(INDEX_READS)).longValue();
    browser.waitFor(INDEX_READS + " >= " + (reads + 2), 30);
  }

  @Test
  void chunksMergedOrDroppedWhileThePageIsOpenKeepEachTraceOnce() throws Exception {
    Path folder = copyOfTheTraces("merge");
    open(folder);
    browser.waitFor(ITEMS + " === 6", 10);
    List<Object> chunks = list(TraceFiles.viewerIndex(folder).get("chunks"));
    assertTrue(chunks.size() >= 2, "two runs wrote at least two chunks: " + chunks);

    // What the agent's merge leaves: one chunk holding the others' lines in order, listed instead of them;
    // here with one question changed, which shows only if the page reads the merged chunk.
    long from = ((Number) object(chunks.get(0)).get("from")).longValue();
    long to = ((Number) object(chunks.get(chunks.size() - 1)).get("to")).longValue();
    String merged = "chunks/" + from + "-" + to + ".js";
    StringBuilder lines = new StringBuilder();
    for (Object chunk : chunks) {
      lines.append(Files.readString(folder.resolve((String) object(chunk).get("file"))));
    }
    assertTrue(lines.indexOf("parsing yaml") > 0);
    Files.writeString(folder.resolve(merged), lines.toString().replace("parsing yaml", "parsing toml"));
    Files.writeString(folder.resolve("traces.js"), "wandbIndex(" + ai.wandb.agent.api.Json.write(Map.of("chunks",
        List.of(Map.of("file", merged, "from", from, "to", to, "bytes", lines.toString().getBytes(StandardCharsets.UTF_8).length)))) + ");\n");
    for (Object chunk : chunks) {
      Files.delete(folder.resolve((String) object(chunk).get("file")));
    }
    awaitTwoMoreLooks();
    assertEquals(6L, browser.count(ITEMS, 1));
    assertEquals("6", browser.eval("document.getElementById('totals').dataset.traces"));
    String list = "document.getElementById('list-pane').innerText";
    assertTrue(((String) browser.eval(list)).contains("parsing yaml"), "the merged chunk took the traces over, unread");
    browser.reload();
    browser.waitFor(ITEMS + " === 6", 20);
    assertTrue(((String) browser.eval(list)).contains("parsing toml"), "a fresh page reads the merged chunk");

    // Past wandb.local.max_bytes the agent lists the oldest chunks no more: their traces leave the page.
    Files.writeString(folder.resolve("traces.js"), "wandbIndex({\"chunks\":[]});\n");
    browser.waitFor(ITEMS + " === 0", 30);
    assertTrue(((String) browser.eval("document.body.innerText")).contains("No traces yet"));
  }

  /**
   * The agent renames every viewer file whole into place, so a kill leaves only a temporary file nothing
   * reads; a chunk listed in traces.js whose end is missing is what a file system that lost the end of a
   * renamed file leaves (or a copy cut short). Either way the other traces show, with a note naming it.
   */
  @Test
  void aChunkCutOffMidWriteIsSkippedWithANoteEveryOtherTraceShowsAndTheNextRunRepairsIt() throws Exception {
    Path folder = copyOfTheTraces("recovery");
    Path dir = work.resolve("recovery");
    Path index = folder.resolve("traces.js");
    Map<String, Object> chunkList = TraceFiles.viewerIndex(folder);
    List<Object> chunks = list(chunkList.get("chunks"));
    long next = ((Number) object(chunks.get(chunks.size() - 1)).get("to")).longValue() + 1;
    String newest = "chunks/" + next + "-" + next + ".js";
    String line = Files.readAllLines(folder.resolve((String) object(chunks.get(0)).get("file"))).get(0);
    String cut = line.substring(0, line.length() / 2);
    Files.writeString(folder.resolve(newest), cut);
    chunks.add(Map.of("file", newest, "from", next, "to", next, "bytes", cut.length()));
    Files.writeString(index, "wandbIndex(" + ai.wandb.agent.api.Json.write(chunkList) + ");\n");
    Path killed = folder.resolve("chunks/" + (next + 1) + "-" + (next + 1) + ".js.tmp");
    Files.writeString(killed, cut);

    open(folder);
    assertEquals(6L, browser.count(ITEMS, 10), "every trace but the cut-off one");
    assertEquals("6", browser.eval("document.getElementById('totals').dataset.traces"));
    String banner = (String) browser.eval("document.getElementById('banner').innerText");
    assertTrue(banner.contains(newest + " was skipped") && banner.contains("cut off mid-write"), banner);
    errorsExpected = true;
    List<String> errors = browser.takeErrors();
    assertEquals(1, errors.size(), "the cut-off chunk, loaded once: " + errors);
    assertTrue(errors.get(0).contains("SyntaxError") && errors.get(0).contains(newest), errors.get(0));

    JavaProcess.Result after = java().withAgent(null).in(dir).runJar(GITHUB_URL_ASSISTANT, QUESTIONS[1]);
    assertEquals(0, after.exitCode(), after.stderr());
    assertTrue(after.agentLines().stream().anyMatch(l -> l.contains(newest + " ended in a trace cut off")),
        after.stderr());
    browser.waitFor(ITEMS + " === 7", 30);
    assertEquals(Boolean.TRUE, browser.waitFor("document.getElementById('banner').classList.contains('hidden')", 10));
    assertEquals(List.of(), browser.takeErrors(), "the repaired chunk loads without an error");
    assertTrue(Files.notExists(killed), "the killed write's temporary file is gone");
  }
}
