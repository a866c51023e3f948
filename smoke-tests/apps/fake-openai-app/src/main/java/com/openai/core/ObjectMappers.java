package com.openai.core;

/** The SDK's mapper, which the agent reads responses through; here it cannot be had. */
public final class ObjectMappers {
  private ObjectMappers() {}

  public static Object jsonMapper() {
    throw new IllegalStateException("injected failure: this SDK has no JSON mapper");
  }
}
