package com.openai.core.http;

import java.util.function.Supplier;

/** Where the real SDK builds its raw responses ({@code HttpResponseFor.kt}'s {@code parseable}). */
public final class HttpResponseForKt {
  private HttpResponseForKt() {}

  public static <T> HttpResponseFor<T> parseable(int statusCode, Supplier<T> parse) {
    return new HttpResponseForKt$parseable$1<T>(statusCode, parse);
  }
}
