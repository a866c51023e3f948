package ai.wandb.smoke.clash;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import org.objectweb.asm.ClassReader;

/**
 * Uses its own OkHttp, Okio, Kotlin, Jackson, Byte Buddy and ASM, then asks the chat model at
 * {@code OPENAI_BASE_URL}; prints what each library did, so a run with the agent can be compared line
 * by line with a run without it.
 *
 * <p>Usage: {@code ClashApp libraries | prompt <chars> | binary | nested <depth> | secrets}; secrets
 * pastes the API keys of its environment into its prompt.
 */
public final class ClashApp {
  private ClashApp() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "libraries" : args[0];
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL"))
        .apiKey(System.getenv("OPENAI_API_KEY"))
        .maxRetries(0)
        .build();
    try {
      switch (mode) {
        case "libraries":
          useTheLibraries();
          ask(client, question("say hello"));
          break;
        case "prompt":
          ask(client, question("x".repeat(Integer.parseInt(args[1]))));
          break;
        case "secrets":
          ask(client, question("my keys are " + System.getenv("OPENAI_API_KEY") + " and WANDB_API_KEY="
              + System.getenv("WANDB_API_KEY")));
          break;
        case "binary":
          ask(client, question(binaryText()));
          break;
        case "nested":
          ask(client, question("call the tool").toBuilder().addTool(nestedTool(Integer.parseInt(args[1]))).build());
          break;
        default:
          System.err.println("unknown mode " + mode);
          System.exit(2);
      }
    } finally {
      client.close();
    }
    System.out.println("done " + mode);
  }

  private static void useTheLibraries() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/ping", exchange -> {
      byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      OkHttpClient http = new OkHttpClient();
      Request request = new Request.Builder()
          .url("http://127.0.0.1:" + server.getAddress().getPort() + "/ping").build();
      try (Response response = http.newCall(request).execute()) {
        System.out.println("okhttp " + okhttp3.OkHttp.VERSION + " got " + response.code() + " " + response.body().string());
      }
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    } finally {
      server.stop(0);
    }

    Buffer buffer = new Buffer().writeUtf8("okio round trip");
    System.out.println("okio " + buffer.readUtf8() + " from " + jarOf(Buffer.class));

    System.out.println("kotlin " + kotlin.KotlinVersion.CURRENT);

    ObjectMapper mapper = new ObjectMapper();
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("name", "clash");
    value.put("numbers", List.of(1, 2, 3));
    String json = mapper.writeValueAsString(value);
    System.out.println("jackson " + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + " " + json
        + " -> " + mapper.readValue(json, Map.class));

    Class<?> generated = new ByteBuddy().subclass(Object.class)
        .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
        .make().load(ClashApp.class.getClassLoader()).getLoaded();
    System.out.println("bytebuddy " + jarOf(ByteBuddy.class) + ": "
        + generated.getDeclaredConstructor().newInstance());

    System.out.println("asm " + jarOf(ClassReader.class) + " reads " + new ClassReader(ClashApp.class.getName()).getClassName());
  }

  private static String jarOf(Class<?> type) {
    String location = String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static ChatCompletionCreateParams question(String text) {
    return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(text).build();
  }

  /** NUL and control characters, bytes that are not UTF-8 (decoded to U+FFFD), an unpaired surrogate. */
  private static String binaryText() {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    return "binary: " + new String(bytes, StandardCharsets.UTF_8) + " latin1: "
        + new String(bytes, StandardCharsets.ISO_8859_1) + " lone: \uD800 end";
  }

  /** A tool whose parameter schema nests {@code depth} objects deep. */
  private static ChatCompletionFunctionTool nestedTool(int depth) {
    Object node = "leaf";
    for (int i = 0; i < depth; i++) {
      node = Map.of("properties", node);
    }
    return ChatCompletionFunctionTool.builder()
        .function(FunctionDefinition.builder()
            .name("deep")
            .parameters(FunctionParameters.builder().putAdditionalProperty("schema", JsonValue.from(node)).build())
            .build())
        .build();
  }

  static String describe(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }

  private static void ask(OpenAIClient client, ChatCompletionCreateParams params) {
    System.out.println("answer: " + describe(client.chat().completions().create(params)));
  }
}
