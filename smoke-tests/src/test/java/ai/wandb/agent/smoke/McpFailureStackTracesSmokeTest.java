package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.SMOKE_APPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MCP tool calls failing in every way they fail (a tool reporting an error, a sync tool throwing, an async
 * tool's {@code Mono.error}, an async tool failing when subscribed and logging it, the client's request
 * timeout, the server dropping the connection), from the SDK's sync client and its async client (blocked on,
 * subscribed to, and with the app's own subscriber failing), against the SDK's own sync and async servers in
 * the same JVM, so that the agent traces both sides: with and without the agent, on the lowest and the newest
 * SDK, the app's output is the same byte for byte once the agent's own {@code [wandb-agent]} lines are left
 * out, including the class and {@code toString()} of the async client's {@code Mono}, and the stacks taken
 * under the app's own subscriber of an async call and under an async handler's {@code Mono}: the agent
 * follows those Monos with a subscriber defined as a hidden class, whose frames the JVM leaves out (Reactor's
 * {@code doOnSubscribe}/{@code doOnSuccess}/{@code doOnError}/{@code doOnCancel} put their
 * {@code FluxPeekFuseable}/{@code MonoPeekTerminal} frames there before); that subscriber is fuseable where
 * the handler's Mono is, so the SDK's {@code map} on it is the same {@code FluxMapFuseable} as without the
 * agent.
 */
class McpFailureStackTracesSmokeTest {
  private static final String MAIN = "ai.wandb.smoke.mcpfailures.McpFailuresApp";
  /**
   * Where the JDK HTTP client's chunked-body parser handed the bytes on: line 205 for a chunk read whole,
   * 229 for one that arrived in parts, which depends on how the server's writes reached the socket (both
   * outputs show both, the run without the agent as well). The line is left out of both outputs; the frame stays.
   */
  private static final Pattern CHUNK_PARSER_LINE =
      Pattern.compile("(ResponseContent\\$ChunkedBodyParser\\.accept\\(ResponseContent\\.java):\\d+\\)");

  @TempDir
  Path dir;

  private static String[] scenarios() {
    List<String> scenarios = new ArrayList<>();
    for (String client : new String[] {"sync", "async-block", "async-subscribe"}) {
      for (String tool : new String[] {"ok", "is-error", "throws", "slow", "drops", "async-ok", "async-error",
          "async-logs-failure"}) {
        scenarios.add(tool + "/" + client);
      }
    }
    scenarios.add("ok/async-subscriber-fails");
    scenarios.add("async-ok/async-subscriber-fails");
    return scenarios.toArray(new String[0]);
  }

  /**
   * Each scenario's stderr (from its {@code == <scenario>} line on), as it is but for
   * {@link #CHUNK_PARSER_LINE}.
   */
  private static Map<String, String> comparable(String stderr) {
    Map<String, String> sections = new LinkedHashMap<>();
    String scenario = "";
    StringBuilder section = new StringBuilder();
    for (String line : (stderr + "\n== ").split("\n", -1)) {
      if (line.startsWith("== ")) {
        sections.put(scenario, section.toString());
        scenario = line.substring(3);
        section.setLength(0);
      } else {
        section.append(CHUNK_PARSER_LINE.matcher(line).replaceAll("$1)")).append('\n');
      }
    }
    return sections;
  }

  /** Where the JDK HTTP client's scheduler hands a response on: the start of {@link #belowJdkDelivery}'s cut. */
  private static final String JDK_DELIVERY = "jdk.internal.net.http.common.SequentialScheduler";
  private static final Pattern MORE = Pattern.compile("^(\\s*)\\.\\.\\. \\d+ more$");

  /**
   * {@code section} with each stack cut at its first frame of the JDK HTTP client's scheduler: whether that
   * scheduler runs the delivery on its pool thread or in place, on the thread that asked for the body (and
   * then under that thread's Reactor and SDK frames), depends on whether the bytes had arrived by then,
   * without the agent as well; the frames above the cut (the app's, the SDK's, Reactor's) and every line
   * that is no frame stay, but for the count of {@code ... N more}, which follows the cut frames.
   */
  static String belowJdkDelivery(String section) {
    StringBuilder out = new StringBuilder();
    boolean cut = false;
    for (String line : section.split("\n", -1)) {
      boolean frame = line.trim().startsWith("at ");
      if (frame && cut) {
        continue;
      }
      cut = frame && line.contains(JDK_DELIVERY);
      if (cut) {
        out.append("\t<the JDK HTTP client's delivery>\n");
      } else {
        out.append(MORE.matcher(line).replaceAll("$1... more")).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * Below the SDK, a failure's stack runs through the JDK HTTP client's threads, whose frames vary from run
   * to run without the agent too (which of its threads delivered the bytes, and how they arrived). So pairs run until
   * every scenario has been the same in one pair, up to four pairs; a scenario that never was must be the
   * same in the last pair once its stacks are cut where the JDK client delivers ({@link #belowJdkDelivery});
   * every traced run must be free of agent frames and print the same stdout.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mcp-1.0.0", "mcp-2.1.0"})
  void everyFailureReachesTheAppWithTheStackTraceItHasWithoutTheAgent(String sdk) throws Exception {
    Path app = SMOKE_APPS.resolve("mcp-failures-app/target");
    String classPath = app.resolve("mcp-failures-app.jar") + File.pathSeparator + app.resolve("lib")
        + File.separator + "*" + File.pathSeparator + app.resolve(sdk) + File.separator + "*";
    String[] args = scenarios();
    Set<String> differing = new LinkedHashSet<>(List.of(args));
    JavaProcess.Result[] runs = new JavaProcess.Result[2];
    Map<String, String> plain = Map.of();
    Map<String, String> traced = Map.of();
    for (int pair = 0; pair < 4 && !differing.isEmpty(); pair++) {
      runs[0] = JavaProcess.java().in(dir).runMain(classPath, MAIN, args);
      runs[1] = JavaProcess.java().withAgent(null).in(dir).runMain(classPath, MAIN, args);
      assertEquals(0, runs[0].exitCode(), runs[0].stderr());
      assertEquals(0, runs[1].exitCode(), runs[1].stderr());
      assertFalse(runs[1].stderr().contains("ai.wandb.agent"), runs[1].stderr());
      assertEquals(runs[0].stdout(), runs[1].stdout());
      plain = comparable(runs[0].appStderr());
      traced = comparable(runs[1].appStderr());
      assertTrue(plain.keySet().containsAll(differing), runs[0].appStderr());
      Map<String, String> without = plain;
      Map<String, String> with = traced;
      differing.removeIf(scenario -> without.get(scenario).equals(with.get(scenario)));
    }
    Map<String, String> without = plain;
    Map<String, String> with = traced;
    differing.removeIf(scenario -> belowJdkDelivery(without.get(scenario)).equals(belowJdkDelivery(with.get(scenario))));
    Path out = Path.of("target", "failure-stack-traces");
    Files.createDirectories(out);
    Files.writeString(out.resolve(sdk + "-without-agent.txt"), runs[0].stdout() + runs[0].stderr());
    Files.writeString(out.resolve(sdk + "-with-agent.txt"), runs[1].stdout() + runs[1].stderr());
    assertTrue(runs[0].stderr().contains("\tat "), runs[0].stderr());
    assertTrue(runs[0].stdout().contains("reactor.core.publisher.MonoDeferContextual MonoDeferContextual"),
        runs[0].stdout());
    assertEquals(Set.of(), differing, "never the same in a pair; see " + out.toAbsolutePath());
    assertTrue(runs[1].agentLines().get(runs[1].agentLines().size() - 1).contains("exported"), runs[1].stderr());
  }
}
