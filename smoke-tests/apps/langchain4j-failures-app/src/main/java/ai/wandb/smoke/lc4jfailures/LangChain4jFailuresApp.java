package ai.wandb.smoke.lc4jfailures;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streaming chat calls, each against its own path of {@code OPENAI_BASE_URL} where the smoke test
 * queued a way of failing. The handler keeps a stack trace taken inside its first
 * {@code onPartialResponse} and the error {@code onError} receives; the main thread prints both, so
 * the output has one order. With the single argument {@code -} it reads the scenarios from standard input,
 * one a line, and prints {@code done <scenario>} after each, so that a smoke test can attach the agent to it
 * between two of them.
 */
public final class LangChain4jFailuresApp {
  private LangChain4jFailuresApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("-")) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String scenario = in.readLine(); scenario != null; scenario = in.readLine()) {
        run(scenario);
        System.out.println("done " + scenario);
      }
      return;
    }
    for (String scenario : args) {
      run(scenario);
    }
  }

  private static void run(String scenario) throws Exception {
    System.out.println("== " + scenario);
    System.err.println("== " + scenario);
    StreamingChatModel model = OpenAiStreamingChatModel.builder()
        .baseUrl(System.getenv("OPENAI_BASE_URL") + "/" + scenario + "/v1").apiKey("sk-test")
        .modelName("gpt-4o-mini").build();
    Recording handler = new Recording();
    model.chat("find java yaml parsers", handler);
    Object outcome = handler.done.get(30, TimeUnit.SECONDS);
    if (handler.insidePartial != null) {
      handler.insidePartial.printStackTrace();
    }
    if (outcome instanceof Throwable) {
      ((Throwable) outcome).printStackTrace();
    } else {
      System.out.println(((ChatResponse) outcome).aiMessage().text());
    }
  }

  static final class Recording implements StreamingChatResponseHandler {
    final CompletableFuture<Object> done = new CompletableFuture<>();
    volatile Throwable insidePartial;

    @Override
    public void onPartialResponse(String partialResponse) {
      if (insidePartial == null) {
        insidePartial = new Throwable("inside onPartialResponse");
      }
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      done.complete(completeResponse);
    }

    @Override
    public void onError(Throwable error) {
      done.complete(error);
    }
  }
}
