package ai.wandb.smoke.springaifailures;

import org.springframework.ai.tool.annotation.Tool;

/** The tool the recorded tool-call answers name. */
final class RepositoryTools {
  @Tool(name = "search_repositories", description = "Searches code repositories")
  String searchRepositories(String query, String language) {
    return "snakeyaml, jackson-dataformat-yaml (" + language + ", " + query + ")";
  }
}
