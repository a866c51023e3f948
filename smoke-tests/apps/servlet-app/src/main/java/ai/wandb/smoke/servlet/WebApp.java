package ai.wandb.smoke.servlet;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small web app: POST /ask answers with two model calls, POST /ask/async the same from a pool thread
 * after startAsync, GET /health answers "ok".
 */
public final class WebApp {
  private WebApp() {}

  public static void main(String[] args) throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL"))
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .maxRetries(0)
        .build();
    Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new AskServlet(client)), "/ask");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ServletHolder async = new ServletHolder(new AsyncAskServlet(client, pool));
    async.setAsyncSupported(true);
    context.addServlet(async, "/ask/async");
    context.addServlet(new ServletHolder(new HealthServlet()), "/health");
    server.setHandler(context);
    server.start();
    System.out.println("listening " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    while (System.in.read() >= 0) {
      // Runs until the test closes stdin.
    }
    server.stop();
    pool.shutdown();
    client.close();
  }
}
