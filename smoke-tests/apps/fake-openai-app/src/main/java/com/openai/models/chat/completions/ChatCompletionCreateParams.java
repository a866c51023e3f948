package com.openai.models.chat.completions;

/** Params whose request body cannot be read. */
public final class ChatCompletionCreateParams {
  public final String question;

  public ChatCompletionCreateParams(String question) {
    this.question = question;
  }

  public Object _body() {
    throw new UnsupportedOperationException("injected failure: no request body");
  }
}
