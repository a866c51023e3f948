package ai.wandb.agent.instrumentation.httpserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanStatus;
import ai.wandb.agent.testing.AgentHarness;
import ai.wandb.agent.testing.openai.OpenAiTestServer;
import ai.wandb.agent.testing.openai.OpenAiTestServer.Reply;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.undertow.Undertow;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentManager;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Async servlet requests on real embedded Tomcat 10.1, Jetty 12 and Undertow 2.3 (jakarta.servlet): the
 * request's root stays open until the container completes the request, with the work of the async threads
 * inside it. Spring MVC's {@code Callable} and {@code DeferredResult} run on Tomcat.
 */
class AsyncServletScenarioTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT = "/v1/chat/completions";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /**
   * Tomcat's web-app leak checks at stop warn about every thread the JVM's other libraries started during a
   * request (Reactor's, the pool's) and ask for --add-opens on JDK 17: nothing a one-JVM test can leak. Held
   * here, as JUL keeps loggers weakly.
   */
  private static final Logger TOMCAT_LEAK_CHECKS = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");
  private static AgentHarness agent;
  private static OpenAiTestServer models;
  private static ChatClient chat;
  private static final ExecutorService POOL = Executors.newFixedThreadPool(2);
  private static Tomcat tomcat;
  private static int tomcatPort;
  private static Server jetty;
  private static int jettyPort;
  private static Undertow undertow;
  private static DeploymentManager undertowApp;
  private static int undertowPort;

  /** Answers on a pool thread after {@code startAsync}; {@code /async/slow} asks and never completes. */
  static final class AsyncAskServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String question = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      AsyncContext async = request.startAsync();
      boolean slow = request.getRequestURI().endsWith("/slow");
      if (slow) {
        async.setTimeout(300);
      }
      POOL.submit((Callable<Void>) () -> {
        String answer = chat.prompt(question).call().content();
        if (!slow) {
          response.setStatus(202);
          response.getWriter().write(answer);
          async.complete();
        }
        return null;
      });
    }
  }

  @RestController
  static class MvcController {
    @PostMapping("/callable")
    Callable<String> callable(@RequestBody String question) {
      return () -> chat.prompt(question).call().content();
    }

    @PostMapping("/deferred")
    DeferredResult<String> deferred(@RequestBody String question) {
      DeferredResult<String> result = new DeferredResult<>();
      POOL.submit(() -> result.setResult(chat.prompt(question).call().content()));
      return result;
    }
  }

  /** As Spring Boot configures it: Spring MVC's async work on a thread pool. */
  @Configuration
  @EnableWebMvc
  static class MvcApp implements WebMvcConfigurer {
    @Bean
    MvcController mvcController() {
      return new MvcController();
    }

    @Bean
    ThreadPoolTaskExecutor mvcTaskExecutor() {
      return new ThreadPoolTaskExecutor();
    }

    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
      configurer.setTaskExecutor(mvcTaskExecutor());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    TOMCAT_LEAK_CHECKS.setLevel(Level.SEVERE);
    agent = AgentHarness.install(Modules.all());
    models = OpenAiTestServer.start();
    chat = Modules.chatClient(models.baseUrl());

    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    Context context = tomcat.addContext("", null);
    Wrapper servlet = Tomcat.addServlet(context, "async", new AsyncAskServlet());
    servlet.setAsyncSupported(true);
    context.addServletMappingDecoded("/async/*", "async");
    AnnotationConfigWebApplicationContext mvc = new AnnotationConfigWebApplicationContext();
    mvc.register(MvcApp.class);
    Wrapper dispatcher = Tomcat.addServlet(context, "mvc", new DispatcherServlet(mvc));
    dispatcher.setAsyncSupported(true);
    dispatcher.setLoadOnStartup(1);
    context.addServletMappingDecoded("/mvc/*", "mvc");
    tomcat.start();
    tomcatPort = connector.getLocalPort();

    jetty = new Server(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    ServletContextHandler handler = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(new AsyncAskServlet());
    holder.setAsyncSupported(true);
    handler.addServlet(holder, "/async/*");
    jetty.setHandler(handler);
    jetty.start();
    jettyPort = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();

    undertowApp = Servlets.defaultContainer().addDeployment(Servlets.deployment()
        .setClassLoader(AsyncServletScenarioTest.class.getClassLoader()).setContextPath("").setDeploymentName("ask")
        .addServlet(Servlets.servlet("async", AsyncAskServlet.class).addMapping("/async/*").setAsyncSupported(true)));
    undertowApp.deploy();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(undertowApp.start()).build();
    undertow.start();
    undertowPort = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    // The pool's threads were started inside requests: stopped first, so no container finds them running.
    POOL.shutdownNow();
    undertow.stop();
    undertowApp.stop();
    jetty.stop();
    tomcat.stop();
    tomcat.destroy();
    models.close();
  }

  @BeforeEach
  void clear() {
    agent.finishedTraces().clear();
  }

  private static HttpResponse<String> post(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("which yaml parser?")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The one trace of the request: rooted in it, the model call inside it, ended after that call. */
  private static Span onlyTrace(String name) throws Exception {
    Span root = agent.nextTrace(WAIT);
    assertEquals(name, root.name());
    assertEquals(List.of("spring_ai.chat_client"), root.children().stream().map(Span::name).toList());
    assertTrue(root.endEpochNanos() >= root.children().get(0).endEpochNanos(), "the request ends after its work");
    Thread.sleep(100);
    assertTrue(agent.finishedTraces().isEmpty(), "no other trace: " + agent.finishedTraces());
    return root;
  }

  @Test
  void anAsyncRequestOnTomcatEndsWhenItCompletesWithItsWorkInside() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));

    HttpResponse<String> answer = post(tomcatPort, "/async/ask");

    assertEquals(202, answer.statusCode(), answer.body());
    Span root = onlyTrace("POST /async/ask");
    assertEquals(202, root.attributes().get("http.response.status_code"));
    assertEquals(SpanStatus.OK, root.status());
  }

  @Test
  void anAsyncRequestOnJettyEndsWhenItCompletesWithItsWorkInside() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));

    HttpResponse<String> answer = post(jettyPort, "/async/ask");

    assertEquals(202, answer.statusCode(), answer.body());
    Span root = onlyTrace("POST /async/ask");
    assertEquals(202, root.attributes().get("http.response.status_code"));
  }

  @Test
  void anAsyncRequestOnUndertowEndsWhenItCompletesWithItsWorkInside() throws Exception {
    models.enqueue(CHAT, Reply.recorded("chat-completion"));

    HttpResponse<String> answer = post(undertowPort, "/async/ask");

    assertEquals(202, answer.statusCode(), answer.body());
    Span root = onlyTrace("POST /async/ask");
    assertEquals(202, root.attributes().get("http.response.status_code"));
    assertEquals(SpanStatus.OK, root.status());
  }

  @Test
  void anAsyncRequestThatTimesOutIsAnErrorWithTheStatusTheClientGot() throws Exception {
    for (int port : new int[] {tomcatPort, jettyPort, undertowPort}) {
      models.enqueue(CHAT, Reply.recorded("chat-completion"));

      HttpResponse<String> answer = post(port, "/async/slow");

      assertEquals(500, answer.statusCode(), answer.body());
      Span root = onlyTrace("POST /async/slow");
      assertEquals(SpanStatus.ERROR, root.status());
      assertEquals(500, root.attributes().get("http.response.status_code"));
    }
  }

  @Test
  void springMvcCallableAndDeferredResultRequestsAreOneTraceEach() throws Exception {
    for (String path : List.of("/mvc/callable", "/mvc/deferred")) {
      models.enqueue(CHAT, Reply.recorded("chat-completion"));

      HttpResponse<String> answer = post(tomcatPort, path);

      assertEquals(200, answer.statusCode(), answer.body());
      assertTrue(answer.body().startsWith("https://github.com/search"), answer.body());
      Span root = onlyTrace("POST " + path);
      assertEquals(path.substring("/mvc".length()), root.attributes().get("http.route"));
      assertEquals(200, root.attributes().get("http.response.status_code"));
    }
  }
}
