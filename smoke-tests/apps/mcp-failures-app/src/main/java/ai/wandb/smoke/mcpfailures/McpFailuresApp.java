package ai.wandb.smoke.mcpfailures;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import reactor.core.publisher.Mono;

/**
 * MCP tool calls the way apps make them, against two MCP servers of the SDK's own in this JVM (over streamable
 * HTTP in Jetty): a sync server whose tools answer ({@code ok}), report an error ({@code is-error}), throw
 * ({@code throws}), answer after the client's request timeout ({@code slow}) or drop the client's connections
 * ({@code drops}); and an async server whose tools answer ({@code async-ok}), fail with {@code Mono.error}
 * ({@code async-error}) or fail when subscribed and log it themselves ({@code async-logs-failure}).
 * Arguments {@code <tool>/<client>}, client one of {@code sync} (McpSyncClient), {@code async-block} and
 * {@code async-subscribe} (McpAsyncClient, blocked on or subscribed to), and {@code async-subscriber-fails}
 * (the app's own subscriber throws). Every failure is printed with {@code printStackTrace()}, the way apps log
 * them; what the app gets is printed with its class (and, for the async client's Mono, its toString).
 */
// The scenarios run on SDK 1.0.0 too: they use its constructors and builders, which 2.x deprecates.
@SuppressWarnings("deprecation")
public final class McpFailuresApp {
  /** Long enough for the initialization on a busy machine, which it also bounds; the slow tool takes twice that. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);

  private McpFailuresApp() {}

  public static void main(String[] args) throws Exception {
    Desk syncDesk = new Desk();
    HttpServletStreamableServerTransportProvider syncTransport = transport();
    // Built on its transport, each server answers through it for as long as the JVM runs.
    McpServer.sync(syncTransport).serverInfo("sync-desk", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .toolCall(tool("ok"), (exchange, request) -> text("the desk is open", false))
        .toolCall(tool("is-error"), (exchange, request) -> text("no such order: Z-9", true))
        .toolCall(tool("throws"), (exchange, request) -> {
          throw new IllegalStateException("order A-1001 has shipped");
        })
        .toolCall(tool("slow"), (exchange, request) -> {
          sleep(REQUEST_TIMEOUT.toMillis() * 2);
          return text("too late", false);
        })
        .toolCall(tool("drops"), (exchange, request) -> {
          syncDesk.dropConnections();
          return text("never delivered", false);
        })
        .build();
    syncDesk.start(syncTransport);
    Desk asyncDesk = new Desk();
    HttpServletStreamableServerTransportProvider asyncTransport = transport();
    McpServer.async(asyncTransport).serverInfo("async-desk", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .toolCall(tool("async-ok"), (exchange, request) -> Mono.just(text("the async desk is open", false)))
        .toolCall(tool("async-error"), (exchange, request) ->
            Mono.error(new IllegalStateException("the async desk failed")))
        .toolCall(tool("async-logs-failure"), (exchange, request) -> Mono.<McpSchema.CallToolResult>fromCallable(() -> {
          throw new IllegalStateException("the async desk failed when subscribed");
        }).doOnError(error -> {
          System.err.println("the async desk logs:");
          error.printStackTrace();
        }))
        .build();
    asyncDesk.start(asyncTransport);
    for (String scenario : args) {
      System.out.println("== " + scenario);
      System.err.println("== " + scenario);
      String tool = scenario.substring(0, scenario.indexOf('/'));
      Desk desk = tool.startsWith("async-") ? asyncDesk : syncDesk;
      try {
        run(scenario.substring(scenario.indexOf('/') + 1), desk.url, tool);
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
    // The servers go with the JVM: a graceful Jetty stop waits for the clients' event streams, and the
    // streamable transport's session sweeper is not a daemon thread.
    System.exit(0);
  }

  private static void run(String client, String url, String tool) throws Exception {
    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool, Map.of("order_id", "A-1001"));
    if (client.equals("sync")) {
      try (McpSyncClient sync = McpClient.sync(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp").build())
          .requestTimeout(REQUEST_TIMEOUT).build()) {
        sync.initialize();
        System.out.println(describe(sync.callTool(request)));
      }
      return;
    }
    McpAsyncClient async = McpClient.async(HttpClientStreamableHttpTransport.builder(url).endpoint("/mcp").build())
        .requestTimeout(REQUEST_TIMEOUT).build();
    try {
      async.initialize().block();
      Mono<McpSchema.CallToolResult> mono = async.callTool(request);
      System.out.println(mono.getClass().getName() + " " + mono);
      CompletableFuture<Void> done = new CompletableFuture<>();
      switch (client) {
        case "async-block":
          System.out.println(describe(mono.block()));
          return;
        case "async-subscribe":
          mono.subscribe(result -> System.out.println(describe(result)), error -> {
            error.printStackTrace();
            done.complete(null);
          }, () -> done.complete(null));
          break;
        case "async-subscriber-fails":
          // Reactor hands what the app's own consumer throws to its error consumer.
          mono.subscribe(result -> {
            throw new IllegalStateException("the app's subscriber failed on " + describe(result));
          }, error -> {
            error.printStackTrace();
            done.complete(null);
          }, () -> done.complete(null));
          break;
        default:
          throw new IllegalArgumentException("unknown client " + client);
      }
      done.get(10, TimeUnit.SECONDS);
    } finally {
      async.close();
    }
  }

  private static String describe(McpSchema.CallToolResult result) {
    return result.getClass().getName() + " isError=" + result.isError() + ": " + result.content().stream()
        .map(content -> ((McpSchema.TextContent) content).text()).collect(Collectors.joining(" "));
  }

  private static HttpServletStreamableServerTransportProvider transport() {
    return HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
  }

  private static McpSchema.CallToolResult text(String text, boolean isError) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(isError).build();
  }

  private static McpSchema.Tool tool(String name) {
    return McpSchema.Tool.builder().name(name).description("the " + name + " tool")
        .inputSchema(new McpSchema.JsonSchema("object", Map.of(), List.of(), true, null, null)).build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One MCP server in its own Jetty on a free loopback port. */
  private static final class Desk {
    private final Server jetty = new Server(threads());
    private final ServerConnector connector = new ServerConnector(jetty);
    String url;

    /**
     * Without reserved threads: Jetty then runs each request the same way, so a stack taken in a handler is
     * the same from run to run (with them, whether a reserved thread ran it varies, without the agent too).
     */
    private static QueuedThreadPool threads() {
      QueuedThreadPool threads = new QueuedThreadPool();
      threads.setReservedThreads(0);
      return threads;
    }

    void start(HttpServletStreamableServerTransportProvider transport) throws Exception {
      connector.setHost("127.0.0.1");
      jetty.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler();
      ServletHolder holder = new ServletHolder(transport);
      holder.setAsyncSupported(true);
      context.addServlet(holder, "/*");
      jetty.setHandler(context);
      jetty.start();
      url = "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** As when the server's process dies or a proxy gives up: every open connection closes, unanswered. */
    void dropConnections() {
      for (EndPoint endPoint : connector.getConnectedEndPoints()) {
        endPoint.close();
      }
    }
  }
}
