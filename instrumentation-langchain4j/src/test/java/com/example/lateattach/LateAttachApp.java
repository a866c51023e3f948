package com.example.lateattach;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.instrumentation.langchain4j.LangChain4jInstrumentationModule;
import ai.wandb.agent.testing.AgentHarness;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An app the agent attaches to while it runs (a child JVM of {@code LateAttachTest}): its streaming
 * handler class, its own provider and LangChain4j's classes are loaded and used before the attach, then
 * used again after it. It prints, per phase, what the app can see (the handler object its provider was
 * given, the frames under its callbacks), and after the attach the traces; the test compares the phases.
 */
public final class LateAttachApp {
  private LateAttachApp() {}

  /** A provider of the app's own that overrides {@code chat(...)} and answers on the calling thread. */
  static final class EchoStreamingChatModel implements StreamingChatModel {
    volatile Object given;

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
      given = handler;
      handler.onPartialResponse("echo");
      if (request.messages().toString().contains("fail")) {
        handler.onError(new IllegalStateException("the echo model failed"));
      } else {
        handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("echo")).build());
      }
    }
  }

  static final class Recording implements StreamingChatResponseHandler {
    final CompletableFuture<Object> done = new CompletableFuture<>();
    volatile StackTraceElement[] insidePartial;
    volatile StackTraceElement[] insideError;

    @Override
    public void onPartialResponse(String partialResponse) {
      if (insidePartial == null) {
        insidePartial = new Throwable().getStackTrace();
      }
    }

    @Override
    public void onCompleteResponse(ChatResponse completeResponse) {
      done.complete(completeResponse.aiMessage().text());
    }

    @Override
    public void onError(Throwable error) {
      insideError = new Throwable().getStackTrace();
      done.complete(error);
    }
  }

  public static void main(String[] args) throws Exception {
    EchoStreamingChatModel echo = new EchoStreamingChatModel();
    StreamingChatModel openAi = OpenAiStreamingChatModel.builder().baseUrl(args[0]).apiKey("sk-test")
        .modelName("gpt-4o-mini").build();
    AgentHarness agent = null;
    for (String phase : new String[] {"before", "after"}) {
      if (phase.equals("after")) {
        // What agentmain does: the installer retransforms the classes loaded so far.
        agent = AgentHarness.install(new LangChain4jInstrumentationModule());
      }
      Recording ok = call(echo, "hello");
      print(phase, "echo.own_handler", echo.given == ok);
      print(phase, "echo.handler_class", echo.given.getClass().getName());
      print(phase, "echo.outcome", ok.done.get(10, TimeUnit.SECONDS));
      print(phase, "echo.partial_frames", frames(ok.insidePartial));
      Recording failed = call(echo, "please fail");
      print(phase, "echo_fail.own_handler", echo.given == failed);
      print(phase, "echo_fail.outcome", failed.done.get(10, TimeUnit.SECONDS));
      print(phase, "echo_fail.partial_frames", frames(failed.insidePartial));
      print(phase, "echo_fail.error_frames", frames(failed.insideError));
      Recording streamed = call(openAi, "hello");
      print(phase, "openai.outcome", streamed.done.get(10, TimeUnit.SECONDS));
      print(phase, "openai.partial_frames", frames(streamed.insidePartial));
    }
    for (int i = 0; i < 3; i++) {
      Span trace = agent.nextTrace(Duration.ofSeconds(10));
      print("trace", String.valueOf(i), trace.name() + " " + trace.status() + " "
          + (trace.error() == null ? "-" : trace.error().getMessage()) + " first_token="
          + (trace.attributes().get("wandb.time_to_first_token_ms") != null) + " children=" + trace.children().size());
    }
    print("trace", "more", !agent.finishedTraces().isEmpty());
  }

  private static Recording call(StreamingChatModel model, String prompt) {
    Recording handler = new Recording();
    model.chat(prompt, handler);
    return handler;
  }

  private static List<String> frames(StackTraceElement[] stack) {
    List<String> frames = new ArrayList<>();
    if (stack != null) {
      for (StackTraceElement frame : stack) {
        frames.add(frame.getClassName() + "." + frame.getMethodName() + ":" + frame.getLineNumber());
      }
    }
    return frames;
  }

  private static void print(String phase, String key, Object value) {
    System.out.println(phase + "." + key + "=" + value);
  }
}
