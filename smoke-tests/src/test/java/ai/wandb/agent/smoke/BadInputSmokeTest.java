package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.TraceFiles.list;
import static ai.wandb.agent.smoke.TraceFiles.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, in a real child JVM: each is at most one clear line from the agent, the app's output and
 * exit status are those of a run without the agent, and what can be kept of the trace is kept.
 */
class BadInputSmokeTest {
  private static final int TWENTY_MB = 20 * 1024 * 1024;
  private static final int ONE_MIB = 1 << 20;

  private static ClashApp app;
  private static JavaProcess.Result binaryWithoutAgent;

  @TempDir
  Path dir;

  @BeforeAll
  static void start(@TempDir Path plainDir) throws Exception {
    app = new ClashApp();
    binaryWithoutAgent = app.flat(app.java().in(plainDir), "binary");
    assertEquals(0, binaryWithoutAgent.exitCode(), binaryWithoutAgent.stderr());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static void assertUnchanged(JavaProcess.Result expected, JavaProcess.Result run) {
    assertEquals(expected.exitCode(), run.exitCode(), run.stderr());
    assertEquals(expected.stdout(), run.stdout());
    assertEquals(expected.appStderr(), run.appStderr());
  }

  private static List<String> warnings(JavaProcess.Result run) {
    return run.agentLines().stream().filter(line -> line.contains("WARNING")).collect(Collectors.toList());
  }

  private Map<String, Object> onlyTrace() throws Exception {
    List<Map<String, Object>> traces = TraceFiles.readTraces(TraceFiles.tracesDir(dir));
    assertEquals(1, traces.size());
    return traces.get(0);
  }

  private static String userMessage(Map<String, Object> span) {
    return (String) object(list(object(span.get("inputs")).get("messages")).get(0)).get("content");
  }

  private Path onlyJsonl() throws Exception {
    try (var files = Files.list(TraceFiles.tracesDir(dir))) {
      return files.filter(file -> file.toString().endsWith(".jsonl")).findFirst().orElseThrow();
    }
  }

  @Test
  void aTwentyMegabytePromptIsKeptAsItsFirstMebibyteWithAMarkerAndTheAppIsUnchanged() throws Exception {
    Path plainDir = Files.createDirectories(dir.resolve("plain"));
    JavaProcess.Result plain = app.flat(app.java().in(plainDir), "prompt", String.valueOf(TWENTY_MB));
    JavaProcess.Result run = app.flat(app.java().withAgent(null).in(dir), "prompt", String.valueOf(TWENTY_MB));

    assertUnchanged(plain, run);
    assertEquals(List.of(), warnings(run));
    String kept = userMessage(onlyTrace());
    assertEquals("x".repeat(ONE_MIB), kept.substring(0, ONE_MIB));
    assertEquals(" <truncated by wandb-agent: " + (TWENTY_MB - ONE_MIB) + " of " + TWENTY_MB
        + " chars dropped (wandb.max_value_chars=" + ONE_MIB + ")>", kept.substring(ONE_MIB));
    long jsonlBytes = Files.size(onlyJsonl());
    assertTrue(jsonlBytes < ONE_MIB + 16 * 1024, "JSONL holds " + jsonlBytes + " bytes");
    System.out.println("20 MB prompt: JSONL line " + jsonlBytes + " bytes");
  }

  @Test
  void binaryAndNonUtf8TextIsCapturedAsValidUtf8AndTheAppIsUnchanged() throws Exception {
    JavaProcess.Result run = app.flat(app.java().withAgent(null).in(dir), "binary");

    assertUnchanged(binaryWithoutAgent, run);
    byte[] jsonl = Files.readAllBytes(onlyJsonl());
    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(jsonl));
    String kept = userMessage(onlyTrace());
    assertTrue(kept.startsWith("binary: \u0000\u0001\u0002"), kept.substring(0, 20));
    assertTrue(kept.contains("latin1: ") && kept.contains("\u00ff"), kept);
    assertTrue(kept.endsWith(" lone: \uFFFD end"), kept.substring(kept.length() - 20));
  }

  @Test
  void deeplyNestedToolArgumentsAreCutAtTheDepthBoundAndTheAppIsUnchanged() throws Exception {
    Path plainDir = Files.createDirectories(dir.resolve("plain"));
    JavaProcess.Result plain = app.flat(app.java().in(plainDir), "nested", "900");
    JavaProcess.Result run = app.flat(app.java().withAgent(null).in(dir), "nested", "900");

    assertUnchanged(plain, run);
    assertEquals(List.of(), warnings(run));
    assertFalse(run.stderr().contains("StackOverflowError"), run.stderr());
    Map<String, Object> span = onlyTrace();
    assertFalse(object(span.get("attributes")).containsKey("wandb.render_error"), span.toString());
    String json = Files.readString(onlyJsonl());
    assertTrue(json.contains("\"<truncated by wandb-agent: nested deeper than 64 levels>\""), json);
    assertEquals("call the tool", userMessage(span));
  }

  @Test
  void badAgentArgumentsAreOneLineEachAndTheAppRunsTracedWithTheDefaults() throws Exception {
    JavaProcess.Result run = app.flat(app.java().in(dir)
        .withAgent("project,queue_size=5,projcet=demo,max_value_chars=-1,flush_interval_ms=soon,redact=broken("),
        "binary");

    assertUnchanged(binaryWithoutAgent, run);
    List<String> warnings = warnings(run);
    assertEquals(6, warnings.size(), run.stderr());
    assertTrue(warnings.get(0).contains("agent argument 'project' has no value"), warnings.get(0));
    assertTrue(warnings.get(1).contains("unknown key wandb.projcet (from agent arguments); did you mean wandb.project?"),
        warnings.get(1));
    assertTrue(warnings.stream().anyMatch(line -> line.contains("wandb.queue_size=5")
        && line.contains("expected an integer from 16 to 1000000; using the default 2048")), run.stderr());
    assertTrue(warnings.stream().anyMatch(line -> line.contains("wandb.max_value_chars=-1")), run.stderr());
    assertTrue(warnings.stream().anyMatch(line -> line.contains("wandb.flush_interval_ms=soon")), run.stderr());
    assertTrue(warnings.stream().anyMatch(line -> line.contains("wandb.redact pattern 'broken('")), run.stderr());
    assertEquals(1, TraceFiles.readTraces(TraceFiles.tracesDir(dir)).size());
  }

  @Test
  void aWandbDirThatCannotBeWrittenIsOneWarningNamingTheFixAndTheAppIsUnchanged() throws Exception {
    // As root every permission check passes, so the folder is made unwritable by being a file.
    Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "a file");
    JavaProcess.Result run = app.flat(app.java().withAgent(null).env("WANDB_DIR", notADirectory.toString()).in(dir), "binary");

    assertUnchanged(binaryWithoutAgent, run);
    List<String> warnings = warnings(run);
    assertEquals(1, warnings.size(), run.stderr());
    assertTrue(warnings.get(0).contains(notADirectory.toString()) && warnings.get(0).contains("WANDB_DIR"),
        warnings.get(0));
  }

  @Test
  void aFullDiskIsOneWarningAndTheAppIsUnchanged() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("tiny-disk"));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mount.toString()),
        "cannot mount a tmpfs here (needs root in a privileged container)");
    try {
      JavaProcess.Result run = app.flat(app.java().withAgent(null).env("WANDB_DIR", mount.toString()).in(dir),
          "prompt", String.valueOf(300_000));

      assertEquals(0, run.exitCode(), run.stderr());
      assertTrue(run.stdout().contains("done prompt"), run.stdout());
      assertEquals("", run.appStderr());
      List<String> warnings = warnings(run);
      assertEquals(1, warnings.size(), run.stderr());
      assertTrue(warnings.get(0).contains("No space left on device"), warnings.get(0));
      assertNoPartOfAWrite(mount.resolve("wandb").resolve("traces"));
    } finally {
      run("umount", mount.toString());
    }
  }

  /**
   * The disk fills up between the JSONL line and the viewer's chunk: the chunk's temporary file goes, and
   * traces.js (none yet) is not written, so the viewer never sees part of a file.
   */
  @Test
  void aDiskThatFillsUpWhileTheViewersChunkIsWrittenLeavesNoPartOfIt() throws Exception {
    int prompt = 40_000;
    Path measured = Files.createDirectories(dir.resolve("measured"));
    JavaProcess.Result sized = app.flat(app.java().withAgent(null).env("WANDB_DIR", measured.toString()).in(dir),
        "prompt", String.valueOf(prompt));
    assertEquals(0, sized.exitCode(), sized.stderr());
    Path sizedTraces = TraceFiles.tracesDir(measured);
    long viewer = Files.size(sizedTraces.resolve("index.html"));
    long jsonl;
    try (Stream<Path> files = Files.list(sizedTraces)) {
      jsonl = Files.size(files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow());
    }
    assertTrue(jsonl > prompt, "the chunk is as big as the JSONL line: " + jsonl);

    Path mount = Files.createDirectories(dir.resolve("filling-disk"));
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()),
        "cannot mount a tmpfs here (needs root in a privileged container)");
    try {
      // Room for the viewer, the JSONL line and one page more: not for the chunk.
      long free = pages(viewer) + pages(jsonl) + 4096;
      Files.write(mount.resolve("filler"), new byte[(int) ((1 << 20) - free)]);
      JavaProcess.Result run = app.flat(app.java().withAgent(null).env("WANDB_DIR", mount.toString()).in(dir),
          "prompt", String.valueOf(prompt));

      assertEquals(sized.stdout(), run.stdout());
      assertEquals("", run.appStderr());
      List<String> warnings = warnings(run);
      assertEquals(1, warnings.size(), run.stderr());
      assertTrue(warnings.get(0).contains("No space left on device"), warnings.get(0));
      Path traces = TraceFiles.tracesDir(mount);
      assertEquals(1, TraceFiles.readTraces(traces).size(), "the JSONL line fitted");
      try (Stream<Path> chunks = Files.list(traces.resolve("chunks"))) {
        assertEquals(List.of(), chunks.toList(), "the chunk that did not fit left nothing");
      }
      assertFalse(Files.exists(traces.resolve("traces.js")));
      assertNoPartOfAWrite(traces);
    } finally {
      run("umount", mount.toString());
    }
  }

  private static long pages(long bytes) {
    return (bytes + 4095) / 4096 * 4096;
  }

  /** The JSONL write that did not fit was cut back, and no file of the viewer's is a temporary or cut one. */
  private static void assertNoPartOfAWrite(Path traces) throws Exception {
    try (Stream<Path> files = Files.walk(traces)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        assertFalse(name.endsWith(".tmp") || name.endsWith(".trim"), file + " is left from a write");
        if (name.endsWith(".jsonl") || name.endsWith(".js")) {
          byte[] bytes = Files.readAllBytes(file);
          assertTrue(bytes.length == 0 || bytes[bytes.length - 1] == '\n', file + " ends mid-line");
        }
      }
    }
  }

  private static boolean run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
