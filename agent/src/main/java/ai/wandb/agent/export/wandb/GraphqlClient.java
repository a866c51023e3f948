package ai.wandb.agent.export.wandb;

import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.http.HttpResult;
import ai.wandb.agent.export.http.RetryPolicy;
import ai.wandb.agent.export.http.WandbHttp;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST <base>/graphql}: the Viewer query, UpsertBucket and UpsertModel, with the reference's documents. */
public final class GraphqlClient {
  static final String VIEWER = "query Viewer { viewer { id entity username email flags teams { edges { node { name } } } } }";
  static final String UPSERT_BUCKET = "mutation UpsertBucket($id: String, $name: String, $project: String,"
      + " $entity: String, $groupName: String, $description: String, $displayName: String, $notes: String,"
      + " $commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String,"
      + " $jobType: String, $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {"
      + " upsertBucket(input: { id: $id, name: $name, groupName: $groupName, modelName: $project,"
      + " entityName: $entity, description: $description, displayName: $displayName, notes: $notes,"
      + " config: $config, commit: $commit, host: $host, debug: $debug, jobProgram: $program, jobRepo: $repo,"
      + " jobType: $jobType, state: $state, sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics }) {"
      + " bucket { id name displayName description config sweepName project { id name entity { id name } }"
      + " historyLineCount } inserted } }";
  static final String UPSERT_MODEL = "mutation UpsertModel($name: String!, $id: String, $entity: String!,"
      + " $description: String, $repo: String) { upsertModel(input: { id: $id, name: $name, entityName: $entity,"
      + " description: $description, repo: $repo }) { model { name description } } }";
  /** Every UpsertBucket variable, sent as explicit null when unset, as the SDK's client does. */
  static final String[] UPSERT_BUCKET_VARIABLES = {"id", "name", "project", "entity", "groupName", "description",
      "displayName", "notes", "commit", "config", "host", "debug", "program", "repo", "jobType", "state", "sweep",
      "tags", "summaryMetrics"};

  private final WandbHttp http;
  private final String url;
  private final int attempts;

  public GraphqlClient(WandbHttp http, String apiUrl, int attempts) {
    this.http = http;
    this.url = WandbUrls.stripSlash(apiUrl) + "/graphql";
    this.attempts = attempts;
  }

  /** The key owner's default entity ({@code viewer.entity}, else the user name). */
  public String viewerEntity() throws IOException {
    Map<String, Object> data = call("Viewer", VIEWER, new LinkedHashMap<String, Object>(), RetryPolicy.wandb(attempts));
    Object viewer = data.get("viewer");
    if (!(viewer instanceof Map)) {
      throw new WandbApiException(200, "the API key was not accepted (viewer is null)");
    }
    Object entity = ((Map<?, ?>) viewer).get("entity");
    Object username = ((Map<?, ?>) viewer).get("username");
    if (entity instanceof String) {
      return (String) entity;
    }
    if (username instanceof String) {
      return (String) username;
    }
    throw new WandbApiException(200, "the viewer has no default entity; set WANDB_ENTITY");
  }

  /** Creates or updates the run; {@code variables} holds the set ones, the rest are sent as null. */
  public Bucket upsertBucket(Map<String, Object> variables) throws IOException {
    Map<String, Object> all = new LinkedHashMap<String, Object>();
    for (String name : UPSERT_BUCKET_VARIABLES) {
      all.put(name, variables.get(name));
    }
    Map<String, Object> data = call("UpsertBucket", UPSERT_BUCKET, all, RetryPolicy.upsertBucket(attempts));
    Map<?, ?> upsert = map(data.get("upsertBucket"));
    Map<?, ?> bucket = map(upsert.get("bucket"));
    Map<?, ?> project = map(bucket.get("project"));
    Map<?, ?> entity = map(project.get("entity"));
    Object lines = bucket.get("historyLineCount");
    return new Bucket(string(bucket.get("id")), string(bucket.get("name")), string(bucket.get("displayName")),
        string(project.get("name")), string(entity.get("name")), lines instanceof Number ? ((Number) lines).longValue() : 0);
  }

  /** Creates the project if it is missing, as the Python SDK does before writing Weave calls. */
  public void upsertModel(String entity, String project) throws IOException {
    Map<String, Object> variables = new LinkedHashMap<String, Object>();
    variables.put("name", formatProject(project));
    variables.put("id", null);
    variables.put("entity", entity);
    variables.put("description", null);
    variables.put("repo", null);
    call("UpsertModel", UPSERT_MODEL, variables, RetryPolicy.wandb(attempts));
  }

  /** The SDK's {@code format_project}: {@code re.sub(r"\W+", "-", name.lower())}. */
  static String formatProject(String project) {
    return project.toLowerCase(java.util.Locale.ROOT).replaceAll("(?U)\\W+", "-");
  }

  private Map<String, Object> call(String operation, String document, Map<String, Object> variables, RetryPolicy policy)
      throws IOException {
    Map<String, Object> request = new LinkedHashMap<String, Object>();
    request.put("operationName", operation);
    request.put("query", document);
    request.put("variables", variables);
    HttpResult result = http.postJson(url, Json.write(request), policy);
    Map<String, Object> body = parse(result);
    Object errors = body.get("errors");
    if (errors instanceof List && !((List<?>) errors).isEmpty()) {
      StringBuilder messages = new StringBuilder();
      for (Object error : (List<?>) errors) {
        Object message = error instanceof Map ? ((Map<?, ?>) error).get("message") : error;
        messages.append(messages.length() == 0 ? "" : "; ").append(message);
      }
      throw new WandbApiException(result.status(), operation + " failed: " + messages);
    }
    if (!result.ok()) {
      throw new WandbApiException(result.status(), operation + " failed: " + result.describe());
    }
    Object data = body.get("data");
    if (!(data instanceof Map)) {
      throw new WandbApiException(result.status(), operation + " answered without data");
    }
    @SuppressWarnings("unchecked") // a parsed JSON object
    Map<String, Object> typed = (Map<String, Object>) data;
    return typed;
  }

  private static Map<String, Object> parse(HttpResult result) throws WandbApiException {
    try {
      return Json.parseObject(result.body());
    } catch (Exception e) {
      throw new WandbApiException(result.status(), "unreadable answer: " + result.describe());
    }
  }

  private static Map<?, ?> map(Object value) {
    return value instanceof Map ? (Map<?, ?>) value : new LinkedHashMap<String, Object>();
  }

  private static String string(Object value) {
    return value instanceof String ? (String) value : null;
  }
}
