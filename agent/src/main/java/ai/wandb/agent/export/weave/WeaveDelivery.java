package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends spooled Weave entries ({@code {"mode": "start"|"end", "req": {...}}} without a project) to the
 * trace server: resolves the entity and creates the project once, adds the project id, and follows the
 * server to {@code calls/complete} when it asks for it (then a start is held until its end arrives).
 * Used by the sink's worker and by {@code sync}; one thread at a time.
 */
final class WeaveDelivery {
  private static final int MAX_OPEN_CALLS = 10000;

  private final WandbSession session;
  private final WeaveClient client;
  private final Map<String, Map<String, Object>> openStarts = new LinkedHashMap<String, Map<String, Object>>();
  private boolean completeMode;
  private String entity;
  private String problem;

  WeaveDelivery(WandbSession session, WeaveClient client) {
    this.session = session;
    this.client = client;
  }

  /** The Weave traces page, once the entity is known; else null. */
  String tracesUrl() {
    return entity == null ? null : WandbUrls.weaveTracesUrl(session.appUrl(), entity, session.project());
  }

  /** Why the last send did not go through. */
  String problem() {
    return problem;
  }

  long refused() {
    return client.dropped();
  }

  /** Sends entries in order; anything but SENT or REFUSED means: keep them and try again later. */
  WeaveClient.Outcome send(List<Map<String, Object>> entries) {
    WeaveClient.Outcome prepared = prepare();
    if (prepared != WeaveClient.Outcome.SENT) {
      return prepared;
    }
    String projectId = entity + "/" + session.project();
    WeaveClient.Outcome outcome;
    if (!completeMode) {
      try {
        outcome = client.upsertBatch(inProject(entries, projectId));
      } catch (WeaveClient.CompleteModeRequired switched) {
        AgentLog.debug("the trace server asks for calls/complete; switching");
        completeMode = true;
        return send(entries);
      }
    } else {
      outcome = client.complete(entity, session.project(), completed(entries, projectId));
    }
    problem = client.lastProblem();
    return outcome;
  }

  /** In complete mode a call goes out whole: starts wait here for their end. */
  private List<Map<String, Object>> completed(List<Map<String, Object>> entries, String projectId) {
    List<Map<String, Object>> calls = new ArrayList<Map<String, Object>>();
    for (Map<String, Object> entry : entries) {
      Map<String, Object> fields = fields(entry);
      String id = (String) fields.get("id");
      if ("start".equals(entry.get("mode"))) {
        if (openStarts.size() < MAX_OPEN_CALLS) {
          openStarts.put(id, fields);
        }
        continue;
      }
      Map<String, Object> start = openStarts.remove(id);
      if (start == null) {
        AgentLog.debug("Weave call " + id + " ended without a known start; not sent in complete mode");
        continue;
      }
      calls.add(WeaveCalls.inProject(WeaveCalls.complete(start, fields), projectId));
    }
    return calls;
  }

  private static List<Map<String, Object>> inProject(List<Map<String, Object>> entries, String projectId) {
    List<Map<String, Object>> out = new ArrayList<Map<String, Object>>(entries.size());
    for (Map<String, Object> entry : entries) {
      String mode = (String) entry.get("mode");
      Map<String, Object> item = new LinkedHashMap<String, Object>();
      item.put("mode", mode);
      Map<String, Object> req = new LinkedHashMap<String, Object>();
      req.put(mode, WeaveCalls.inProject(fields(entry), projectId));
      item.put("req", req);
      out.add(item);
    }
    return out;
  }

  @SuppressWarnings("unchecked") // entries are built by WeaveSink.entry and read back from JSON
  static Map<String, Object> fields(Map<String, Object> entry) {
    return (Map<String, Object>) ((Map<?, ?>) entry.get("req")).get(entry.get("mode"));
  }

  static Map<String, Object> entry(String mode, Map<String, Object> fields) {
    Map<String, Object> item = new LinkedHashMap<String, Object>();
    item.put("mode", mode);
    Map<String, Object> req = new LinkedHashMap<String, Object>();
    req.put(mode, fields);
    item.put("req", req);
    return item;
  }

  /** Resolves the entity and makes sure the project exists, once. */
  private WeaveClient.Outcome prepare() {
    if (entity != null) {
      return WeaveClient.Outcome.SENT;
    }
    String resolved;
    try {
      resolved = session.entity();
    } catch (WandbApiException e) {
      problem = e.getMessage();
      boolean refused = e.status() == 401 || e.status() == 403 || e.status() == 200;
      return refused ? WeaveClient.Outcome.UNAUTHORIZED : WeaveClient.Outcome.LATER;
    } catch (IOException e) {
      problem = e.toString();
      return WeaveClient.Outcome.LATER;
    }
    try {
      session.graphql().upsertModel(resolved, session.project());
    } catch (IOException e) {
      // The project may exist already or the server may create it on first write.
      AgentLog.debug("creating the project " + resolved + "/" + session.project() + ": " + e.getMessage());
    }
    entity = resolved;
    return WeaveClient.Outcome.SENT;
  }
}
