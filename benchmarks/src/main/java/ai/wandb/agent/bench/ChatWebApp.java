package ai.wandb.agent.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The web server of the load benchmark ({@link WebServerLoad}), written the way such an app is: embedded
 * Jetty 12, one servlet whose {@code GET /ask} makes one openai-java chat call and answers with the
 * model's text. {@code ChatWebApp <OpenAI base URL>}; prints {@code PORT <n>} when it listens and runs
 * until it is stopped (SIGTERM, so shutdown hooks and the agent's exit line run).
 */
public final class ChatWebApp {
    private ChatWebApp() {}

    static final class AskServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient OpenAIClient client;

        AskServlet(OpenAIClient client) {
            this.client = client;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(CannedChat.MODEL)
                    .addUserMessage(CannedChat.QUESTION)
                    .build());
            response.setContentType("text/plain");
            response.getWriter().write(completion.choices().get(0).message().content().orElse(""));
        }
    }

    public static void main(String[] args) throws Exception {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0]).apiKey("benchmark").maxRetries(0).build();
        Server server = start(client);
        System.out.println("PORT " + port(server));
        System.out.flush();
        server.join();
    }

    /** The app's server on a free loopback port, its endpoint calling the model through {@code client}. */
    static Server start(OpenAIClient client) throws Exception {
        Server server = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new AskServlet(client)), "/ask");
        server.setHandler(context);
        server.start();
        return server;
    }

    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
