package com.openai.core;

/** Shaped like the SDK's, for the method signature the agent matches. */
public final class RequestOptions {}
