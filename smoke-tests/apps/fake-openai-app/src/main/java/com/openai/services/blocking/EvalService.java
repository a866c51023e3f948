package com.openai.services.blocking;

/** Present so that the agent takes this for a supported SDK version. */
public interface EvalService {}
