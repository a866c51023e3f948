package ai.wandb.agent.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Everything {@link AgentConfig#load} reads, built per test so no test sees the real machine. */
final class ConfigInputs {
  private String agentArgs;
  private final Map<String, String> env = new HashMap<>();
  private final Properties systemProperties = new Properties();
  private final Path userHome;

  ConfigInputs(Path userHome) {
    this.userHome = userHome;
    systemProperties.setProperty("user.dir", userHome.resolve("app").toString());
  }

  ConfigInputs args(String agentArgs) {
    this.agentArgs = agentArgs;
    return this;
  }

  ConfigInputs env(String name, String value) {
    env.put(name, value);
    return this;
  }

  ConfigInputs sysprop(String name, String value) {
    systemProperties.setProperty(name, value);
    return this;
  }

  AgentConfig load() {
    return AgentConfig.load(agentArgs, env, systemProperties, userHome);
  }
}
