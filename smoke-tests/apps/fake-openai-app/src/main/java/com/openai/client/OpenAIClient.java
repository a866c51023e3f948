package com.openai.client;

/** The class-loader marker the agent looks for. */
public interface OpenAIClient {}
