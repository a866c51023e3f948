package com.openai.core.http;

/** The shape of the SDK's raw response: the agent ends the span in its implementation's parse or close. */
public interface HttpResponseFor<T> extends AutoCloseable {
  T parse();

  int statusCode();

  @Override
  void close();
}
