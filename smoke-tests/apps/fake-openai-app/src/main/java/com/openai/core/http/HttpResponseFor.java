package com.openai.core.http;

/** The shape of the SDK's raw response: the agent wraps it and ends the span on parse or close. */
public interface HttpResponseFor<T> extends AutoCloseable {
  T parse();

  int statusCode();

  @Override
  void close();
}
