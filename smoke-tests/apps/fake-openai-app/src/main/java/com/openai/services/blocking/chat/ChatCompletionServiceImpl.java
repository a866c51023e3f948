package com.openai.services.blocking.chat;

import com.openai.core.RequestOptions;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.HttpResponseForKt;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * Answers locally, shaped like the SDK where the agent hooks it (the raw-response layer); a question
 * starting with "hostile" fails with an exception nobody can read.
 */
public final class ChatCompletionServiceImpl {
  private final WithRawResponseImpl withRawResponse = new WithRawResponseImpl();

  public ChatCompletion create(ChatCompletionCreateParams params, RequestOptions options) {
    try (HttpResponseFor<ChatCompletion> response = withRawResponse.create(params, options)) {
      return response.parse();
    }
  }

  /** The raw layer: every call path of the real SDK meets in this class's methods. */
  public static final class WithRawResponseImpl {
    private final Object clientOptions = new Object();

    public HttpResponseFor<ChatCompletion> create(ChatCompletionCreateParams params, RequestOptions options) {
      if (params.question.startsWith("hostile")) {
        throw new HostileException();
      }
      ChatCompletion answer =
          new ChatCompletion("answer to " + params.question + " (client " + (clientOptions != null) + ")");
      return HttpResponseForKt.parseable(200, () -> answer);
    }
  }

  /** Its message, description and stack trace all throw. */
  public static final class HostileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
      throw new IllegalStateException("injected failure: getMessage");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("injected failure: toString");
    }

    @Override
    public void printStackTrace(PrintWriter out) {
      throw new IllegalStateException("injected failure: printStackTrace");
    }

    @Override
    public void printStackTrace(PrintStream out) {
      throw new IllegalStateException("injected failure: printStackTrace");
    }
  }
}
