package com.openai.services.blocking.chat;

import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.PrintStream;
import java.io.PrintWriter;

/** Answers locally; a question starting with "hostile" fails with an exception nobody can read. */
public final class ChatCompletionServiceImpl {
  private final Object clientOptions = new Object();

  public ChatCompletion create(ChatCompletionCreateParams params, RequestOptions options) {
    if (params.question.startsWith("hostile")) {
      throw new HostileException();
    }
    return new ChatCompletion("answer to " + params.question + " (client " + (clientOptions != null) + ")");
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
