package com.openai.core.http;

import java.util.function.Supplier;

/** Named like the anonymous class the real SDK's {@code parseable} compiles to, whose parse() the agent hooks. */
final class HttpResponseForKt$parseable$1<T> implements HttpResponseFor<T> {
  private final int statusCode;
  private final Supplier<T> parse;

  HttpResponseForKt$parseable$1(int statusCode, Supplier<T> parse) {
    this.statusCode = statusCode;
    this.parse = parse;
  }

  @Override
  public T parse() {
    return parse.get();
  }

  @Override
  public int statusCode() {
    return statusCode;
  }

  @Override
  public void close() {}
}
