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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LangChain4j's own MCP client ({@code DefaultMcpClient} over streamable HTTP) calling tools of the MCP SDK's
 * server in the same JVM that answer, report an error, throw, outlast the client's tool execution timeout and
 * drop the connection, called directly ({@code executeTool}) and by an AI service through
 * {@code McpToolProvider}, so that the agent traces the client, the AI service's tool execution and the
 * server: with and without the agent, on the lowest and the newest langchain4j-mcp, the app's output is the
 * same byte for byte once the agent's own {@code [wandb-agent]} lines are left out. (The AI service's
 * {@code $ProxyNN} frames included: the agent's listener of an async servlet request, which the SDK server's
 * streamable transport makes, was a {@code java.lang.reflect.Proxy} and moved that number by one.)
 */
class LangChain4jMcpFailureStackTracesSmokeTest {
  private static final String MAIN = "ai.wandb.smoke.langchain4jmcpfailures.LangChain4jMcpFailuresApp";

  @TempDir
  Path dir;

  private static String[] scenarios() {
    List<String> scenarios = new ArrayList<>();
    for (String caller : new String[] {"client", "ai-service"}) {
      for (String tool : new String[] {"ok", "is-error", "throws", "slow", "drops"}) {
        scenarios.add(tool + "/" + caller);
      }
    }
    return scenarios.toArray(new String[0]);
  }

  /** Each scenario's stderr, from its {@code == <scenario>} line on. */
  private static Map<String, String> sections(String stderr) {
    Map<String, String> sections = new LinkedHashMap<>();
    String scenario = "";
    StringBuilder section = new StringBuilder();
    for (String line : (stderr + "\n== ").split("\n", -1)) {
      if (line.startsWith("== ")) {
        sections.put(scenario, section.toString());
        scenario = line.substring(3);
        section.setLength(0);
      } else {
        section.append(line).append('\n');
      }
    }
    return sections;
  }

  /**
   * A dropped connection's stack runs through the JDK HTTP client's threads, whose frames vary from run to
   * run without the agent too (which of its threads saw the end of the stream). So pairs run until every
   * scenario has been the same in one pair, up to four pairs; every traced run prints the same stdout.
   */
  @ParameterizedTest
  @ValueSource(strings = {"langchain4j-mcp-1.6.0-beta12", "langchain4j-mcp-1.18.1-beta28"})
  void everyFailureReachesTheAppWithTheStackTraceItHasWithoutTheAgent(String langchain4j) throws Exception {
    Path app = SMOKE_APPS.resolve("langchain4j-mcp-failures-app/target");
    String classPath = app.resolve("langchain4j-mcp-failures-app.jar") + File.pathSeparator + app.resolve("lib")
        + File.separator + "*" + File.pathSeparator + app.resolve(langchain4j) + File.separator + "*";
    String[] args = scenarios();
    Set<String> differing = new LinkedHashSet<>(List.of(args));
    JavaProcess.Result[] runs = new JavaProcess.Result[2];
    for (int pair = 0; pair < 4 && !differing.isEmpty(); pair++) {
      runs[0] = JavaProcess.java().in(dir).runMain(classPath, MAIN, args);
      runs[1] = JavaProcess.java().withAgent(null).in(dir).runMain(classPath, MAIN, args);
      assertEquals(0, runs[0].exitCode(), runs[0].stderr());
      assertEquals(0, runs[1].exitCode(), runs[1].stderr());
      assertFalse(runs[1].stderr().contains("ai.wandb.agent"), runs[1].stderr());
      assertEquals(runs[0].stdout(), runs[1].stdout());
      Map<String, String> plain = sections(runs[0].appStderr());
      Map<String, String> traced = sections(runs[1].appStderr());
      assertTrue(plain.keySet().containsAll(differing), runs[0].appStderr());
      differing.removeIf(scenario -> plain.get(scenario).equals(traced.get(scenario)));
    }
    Path out = Path.of("target", "failure-stack-traces");
    Files.createDirectories(out);
    Files.writeString(out.resolve(langchain4j + "-without-agent.txt"), runs[0].stdout() + runs[0].stderr());
    Files.writeString(out.resolve(langchain4j + "-with-agent.txt"), runs[1].stdout() + runs[1].stderr());
    // The failures the scenarios are for: an error result, a thrown tool, a timeout, a dropped connection.
    assertTrue(runs[0].stderr().contains("ToolExecutionException: no such order: Z-9"), runs[0].stderr());
    assertTrue(runs[0].stderr().contains("ToolExecutionException: order A-1001 has shipped"), runs[0].stderr());
    assertTrue(runs[0].stdout().contains("There was a timeout executing the tool"), runs[0].stdout());
    assertTrue(runs[0].stderr().contains("Caused by: java.io.IOException"), runs[0].stderr());
    assertTrue(runs[0].stdout().contains("java.lang.String: the desk says: the tool failed: order A-1001 has shipped"),
        runs[0].stdout());
    assertEquals(Set.of(), differing, "never the same in a pair; see " + out.toAbsolutePath());
    // Two traces a scenario: the client's call (or the AI service's) and the server's, which continues it.
    assertTrue(runs[1].agentLines().get(runs[1].agentLines().size() - 1).contains("exported " + 2 * args.length
        + " trace(s)"), runs[1].stderr());
  }
}
