package com.openai.models.chat.completions;

/** A completion the agent can only read through {@code ObjectMappers}, which fails here. */
public final class ChatCompletion {
  private final String text;

  public ChatCompletion(String text) {
    this.text = text;
  }

  @Override
  public String toString() {
    return text;
  }
}
