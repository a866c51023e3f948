package ai.wandb.agent.instrumentation.mcp;

import ai.wandb.agent.instrumentation.langchain4j.LangChain4jInstrumentationModule;
import ai.wandb.agent.testing.AgentHarness;

/** The modules of this test JVM, installed once whichever test class runs first. */
final class Agent {
  private Agent() {}

  static AgentHarness install() {
    return AgentHarness.install(new McpInstrumentationModule(), new LangChain4jMcpInstrumentationModule(),
        new LangChain4jInstrumentationModule());
  }
}
