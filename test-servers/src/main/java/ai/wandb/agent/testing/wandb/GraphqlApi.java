package ai.wandb.agent.testing.wandb;

import ai.wandb.agent.api.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code POST /graphql}: the operations a client of runs needs ({@code Viewer}, {@code UpsertBucket},
 * {@code UpsertModel}), checked against the documents and variable types of the reference. A schema
 * violation is answered as GraphQL servers do, with HTTP 400 and an {@code errors} array.
 */
final class GraphqlApi {
  private static final Set<String> ENVELOPE = Set.of("query", "variables", "operationName");
  private static final Set<String> UPSERT_BUCKET_VARIABLES = Set.of("id", "name", "project", "entity",
      "groupName", "description", "displayName", "notes", "commit", "host", "program", "repo", "jobType",
      "state", "sweep", "config", "summaryMetrics", "debug", "tags");
  private static final Set<String> UPSERT_MODEL_VARIABLES = Set.of("name", "id", "entity", "description", "repo");
  private static final Pattern BAD_PROJECT = Pattern.compile("[/\\\\#?%:]");
  private static final Pattern BAD_RUN_ID = Pattern.compile("[:;,#?/']");
  private static final String[] ADJECTIVES = {"golden", "misty", "quiet", "brisk", "lucid"};
  private static final String[] NOUNS = {"sun", "river", "forest", "comet", "meadow"};

  private final WandbTestServer server;

  GraphqlApi(WandbTestServer server) {
    this.server = server;
  }

  String handle(Map<String, Object> request) {
    Strict.onlyKeys(request, ENVELOPE, key -> graphqlError("unknown request key " + key));
    String query = Strict.requiredString(request, "query", GraphqlApi::graphqlError);
    String operation = Strict.optionalString(request, "operationName", GraphqlApi::graphqlError);
    Object rawVariables = request.get("variables");
    Map<String, Object> variables = rawVariables == null ? Map.of()
        : Strict.object(rawVariables, GraphqlApi::graphqlError, "variables");
    if ("Viewer".equals(operation) || query.contains("query Viewer")) {
      return viewer();
    }
    if ("UpsertBucket".equals(operation) || query.contains("mutation UpsertBucket")) {
      requireSelection(query, "upsertBucket(input:", "modelName: $project", "entityName: $entity",
          "historyLineCount", "inserted");
      return upsertBucket(variables);
    }
    if ("UpsertModel".equals(operation) || query.contains("mutation UpsertModel")) {
      requireSelection(query, "upsertModel(input:", "entityName: $entity");
      return upsertModel(variables);
    }
    return "{\"errors\":[{\"message\":\"unknown operation\"}],\"data\":null}";
  }

  private String viewer() {
    String entity = server.viewerEntity();
    return "{\"data\":{\"viewer\":{\"id\":\"VXNlcjox\",\"entity\":" + Strict.quote(entity) + ",\"username\":"
        + Strict.quote(entity) + ",\"email\":" + Strict.quote(entity + "@example.com")
        + ",\"flags\":\"{}\",\"teams\":{\"edges\":[]},\"defaultEntity\":{\"name\":" + Strict.quote(entity) + "}}}}";
  }

  private String upsertBucket(Map<String, Object> variables) {
    Strict.onlyKeys(variables, UPSERT_BUCKET_VARIABLES,
        key -> graphqlError("Variable \"$" + key + "\" is not defined by operation \"UpsertBucket\""));
    for (Map.Entry<String, Object> entry : variables.entrySet()) {
      Object value = entry.getValue();
      boolean ok = switch (entry.getKey()) {
        case "debug" -> value == null || value instanceof Boolean;
        case "tags" -> value == null || value instanceof List;
        default -> value == null || value instanceof String;
      };
      if (!ok) {
        throw graphqlError("Variable \"$" + entry.getKey() + "\" got invalid value " + Json.write(value));
      }
    }
    String name = (String) variables.get("name");
    if (name == null && variables.get("id") == null) {
      throw graphqlError("upsertBucket needs name or id");
    }
    if (name != null && (name.isEmpty() || !name.strip().equals(name) || BAD_RUN_ID.matcher(name).find())) {
      throw graphqlError("invalid run id " + name);
    }
    String project = variables.get("project") == null ? "uncategorized" : (String) variables.get("project");
    checkProject(project);
    String entity = variables.get("entity") == null ? server.viewerEntity() : (String) variables.get("entity");
    checkTags(variables.get("tags"));
    if (variables.get("config") != null) {
      checkConfig((String) variables.get("config"));
    }
    if (variables.get("state") != null) {
      throw graphqlError("clients do not set state");
    }
    RecordedRun run;
    boolean inserted;
    synchronized (server) {
      String key = entity + "/" + project + "/" + name;
      run = server.runs.get(key);
      inserted = run == null;
      if (inserted) {
        run = new RecordedRun(entity, project, name, "UnVuOnYx" + server.runs.size());
        server.runs.put(key, run);
        server.projects.add(entity + "/" + project);
      }
    }
    int historyLines;
    synchronized (run) {
      run.upserts.add(new LinkedHashMap<>(variables));
      for (Map.Entry<String, Object> entry : variables.entrySet()) {
        if (entry.getValue() != null) {
          run.lastUpsert.put(entry.getKey(), entry.getValue());
        }
      }
      if (variables.get("config") != null) {
        run.config = (String) variables.get("config");
      }
      if (variables.get("displayName") != null) {
        run.displayName = (String) variables.get("displayName");
      } else if (run.displayName == null) {
        int n = server.runs.size();
        run.displayName = ADJECTIVES[n % ADJECTIVES.length] + "-" + NOUNS[n % NOUNS.length] + "-" + n;
      }
      historyLines = run.lineCount("wandb-history.jsonl");
    }
    return "{\"data\":{\"upsertBucket\":{\"bucket\":{\"id\":" + Strict.quote(run.storageId)
        + ",\"name\":" + Strict.quote(run.name) + ",\"displayName\":" + Strict.quote(run.displayName)
        + ",\"description\":null,\"config\":" + (run.config == null ? "null" : Strict.quote(run.config))
        + ",\"sweepName\":null,\"project\":{\"id\":\"UHJvamVjdDox\",\"name\":" + Strict.quote(project)
        + ",\"entity\":{\"id\":\"RW50aXR5OjE=\",\"name\":" + Strict.quote(entity) + "}},\"historyLineCount\":"
        + historyLines + "},\"inserted\":" + inserted + "}}}";
  }

  private String upsertModel(Map<String, Object> variables) {
    Strict.onlyKeys(variables, UPSERT_MODEL_VARIABLES,
        key -> graphqlError("Variable \"$" + key + "\" is not defined by operation \"UpsertModel\""));
    String name = Strict.requiredString(variables, "name", GraphqlApi::graphqlError);
    String entity = Strict.requiredString(variables, "entity", GraphqlApi::graphqlError);
    checkProject(name);
    synchronized (server) {
      server.projects.add(entity + "/" + name);
    }
    return "{\"data\":{\"upsertModel\":{\"model\":{\"name\":" + Strict.quote(name) + ",\"description\":null}}}}";
  }

  private static void checkProject(String project) {
    if (project.isEmpty() || project.length() > 128 || BAD_PROJECT.matcher(project).find()) {
      throw graphqlError("invalid project name " + project);
    }
  }

  private static void checkTags(Object tags) {
    if (tags == null) {
      return;
    }
    for (Object tag : (List<?>) tags) {
      if (!(tag instanceof String) || ((String) tag).isEmpty() || ((String) tag).length() > 64) {
        throw graphqlError("invalid tag " + tag);
      }
    }
  }

  /** The config is a JSON string of {@code {key: {"value": v}}}, with {@code _wandb.value.t} present. */
  private static void checkConfig(String config) {
    Map<String, Object> parsed;
    try {
      parsed = Json.parseObject(config);
    } catch (Exception e) {
      throw graphqlError("config is not a JSON object string");
    }
    Function<String, Rejection> wrong = GraphqlApi::graphqlError;
    for (Map.Entry<String, Object> entry : parsed.entrySet()) {
      Map<String, Object> wrapper = Strict.object(entry.getValue(), wrong, "config." + entry.getKey());
      Strict.onlyKeys(wrapper, Set.of("value", "desc"), key -> graphqlError("config." + entry.getKey()
          + " has " + key + "; each config key wraps its value as {\"value\": v}"));
      if (!wrapper.containsKey("value")) {
        throw graphqlError("config." + entry.getKey() + " has no value");
      }
    }
    Object wandb = parsed.get("_wandb");
    if (wandb == null || !(((Map<?, ?>) wandb).get("value") instanceof Map<?, ?> internal)
        || !(internal.get("t") instanceof Map)) {
      throw graphqlError("config._wandb.value.t is missing");
    }
  }

  private static void requireSelection(String query, String... parts) {
    for (String part : parts) {
      if (!query.replaceAll("\\s+", " ").contains(part)) {
        throw graphqlError("the document does not match the reference: missing " + part);
      }
    }
  }

  static Rejection graphqlError(String message) {
    return new Rejection(400, "{\"errors\":[{\"message\":" + Strict.quote(message) + "}],\"data\":null}");
  }
}
