package ai.wandb.agent.export.weave;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Json;
import ai.wandb.agent.export.spool.Owners;
import ai.wandb.agent.export.spool.Spool;
import ai.wandb.agent.export.wandb.WandbApiException;
import ai.wandb.agent.export.wandb.WandbSession;
import ai.wandb.agent.export.wandb.WandbUrls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends spooled Weave entries ({@code {"mode": "start"|"end", "req": {...}}} without a project) to the
 * trace server: resolves the entity and creates the project once, adds the project id (and
 * {@code wb_run_id} to the starts of a JVM that writes a W&B run), and follows the server to
 * {@code calls/complete} when it asks for it. Then a start waits for its end in {@link OpenStarts} (on
 * disk), an end whose start went out before the switch goes to {@code /v2/.../call/end}, and the
 * waiting starts of a JVM that is gone go out as calls that ended when it was last heard from.
 * Used by the sink's sender and by {@code sync}; one thread at a time.
 */
final class WeaveDelivery {
  /** Entry keys beside {@code mode} and {@code req}, for the agent only (never sent): the JVM that spooled it. */
  static final String OWNER = "owner";
  /** On an end: its call's {@code started_at}, which {@code /v2/.../call/end} needs. */
  static final String STARTED_AT = "started_at";
  /** On a start: the W&B run id of the JVM that made it; {@code wb_run_id} once the entity is known. */
  static final String RUN = "run";

  private final WandbSession session;
  private final WeaveClient client;
  private final OpenStarts open;
  private final Owners owners;
  /** Op refs by op name, created once per name and JVM; null for a name whose op the server refused. */
  private final Map<String, String> opRefs = new HashMap<String, String>();
  private boolean completeMode;
  private String entity;
  private String problem;

  WeaveDelivery(WandbSession session, WeaveClient client, Spool spool, Owners owners) {
    this.session = session;
    this.client = client;
    this.open = new OpenStarts(spool);
    this.owners = owners;
  }

  /** Whether starts wait on disk for their end (complete mode, perhaps of a JVM that is gone). */
  boolean hasWaitingStarts() {
    return open.exists();
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

  /**
   * Sends spool lines in order; anything but SENT or REFUSED means: keep them and try again later. A
   * line that is not a JSON object is skipped, as {@link Spool#read} skips it.
   */
  WeaveClient.Outcome send(List<byte[]> lines) {
    WeaveClient.Outcome prepared = prepare();
    if (prepared != WeaveClient.Outcome.SENT) {
      return prepared;
    }
    String projectId = entity + "/" + session.project();
    WeaveClient.Outcome outcome;
    if (!completeMode) {
      List<byte[]> items = new ArrayList<byte[]>(lines.size());
      for (byte[] line : lines) {
        byte[] item = item(line, projectId);
        if (item != null) {
          items.add(item);
        }
      }
      try {
        outcome = client.upsertBatch(items);
      } catch (WeaveClient.CompleteModeRequired switched) {
        AgentLog.debug("the trace server asks for calls/complete; switching");
        completeMode = true;
        return send(lines);
      }
    } else {
      List<Map<String, Object>> entries = new ArrayList<Map<String, Object>>(lines.size());
      for (byte[] line : lines) {
        Map<String, Object> entry = parse(line);
        if (entry != null) {
          entries.add(entry);
        }
      }
      outcome = sendComplete(entries, projectId);
    }
    problem = client.lastProblem();
    return outcome;
  }

  /**
   * A line's {@code upsert_batch} item: spliced from the line's bytes when it has the worker's shape
   * ({@link SpooledItem}), else from the parsed entry; null for a line that does not parse.
   */
  private byte[] item(byte[] line, String projectId) {
    SpooledItem spooled = SpooledItem.of(line);
    if (spooled != null) {
      String ref = null;
      if (spooled.start && !spooled.opName.startsWith("weave:///")) {
        String resolved = opRef(spooled.opName);
        ref = resolved.equals(spooled.opName) ? null : Json.write(resolved);
      }
      return spooled.item(projectId, ref, entity + "/" + session.project() + "/");
    }
    Map<String, Object> entry = parse(line);
    return entry == null ? null : WeaveClient.utf8(Json.write(inProject(entry, projectId)));
  }

  private static Map<String, Object> parse(byte[] line) {
    try {
      return Json.parseObject(line, 0, line.length);
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("skipping an unreadable spool line: " + e);
      return null;
    }
  }

  /**
   * Pairs the entries with the starts waiting on disk, sends the completed calls and the late ends,
   * and only then writes the waiting starts back, so a start is on disk until its call went out.
   */
  private WeaveClient.Outcome sendComplete(List<Map<String, Object>> entries, String projectId) {
    Map<String, Map<String, Object>> waiting = open.load();
    List<Map<String, Object>> calls = new ArrayList<Map<String, Object>>();
    List<Map<String, Object>> lateEnds = new ArrayList<Map<String, Object>>();
    for (Map<String, Object> entry : entries) {
      Map<String, Object> fields = fields(entry);
      String id = (String) fields.get("id");
      if ("start".equals(entry.get("mode"))) {
        if (waiting.size() < OpenStarts.MAX || waiting.containsKey(id)) {
          waiting.put(id, entry);
        } else {
          AgentLog.debug("more than " + OpenStarts.MAX + " Weave calls wait for their end; " + id + " is not kept");
        }
        continue;
      }
      Map<String, Object> start = waiting.remove(id);
      if (start != null) {
        calls.add(WeaveCalls.inProject(WeaveCalls.complete(startFields(start), fields), projectId));
      } else if (entry.get(STARTED_AT) != null) {
        Map<String, Object> end = WeaveCalls.inProject(fields, projectId);
        end.put("started_at", entry.get(STARTED_AT));
        lateEnds.add(end);
      } else {
        AgentLog.debug("Weave call " + id + " ended without a known start; not sent in complete mode");
      }
    }
    WeaveClient.Outcome outcome = client.complete(entity, session.project(), calls);
    for (Map<String, Object> end : lateEnds) {
      outcome = outcome.worst(client.endV2(entity, session.project(), end));
    }
    if ((outcome == WeaveClient.Outcome.SENT || outcome == WeaveClient.Outcome.REFUSED) && !open.save(waiting)) {
      AgentLog.warn("cannot write the Weave calls still running to " + open + "; if this JVM dies they are lost");
    }
    return outcome;
  }

  /**
   * Sends the waiting starts of JVMs that are gone (at {@code closing}, this one's too: its calls will
   * never end) as calls that ended, with an error, when their JVM was last heard from. SENT when there
   * were none.
   */
  WeaveClient.Outcome completeAbandoned(boolean closing) {
    Map<String, Map<String, Object>> waiting = open.load();
    if (waiting.isEmpty()) {
      return WeaveClient.Outcome.SENT;
    }
    WeaveClient.Outcome prepared = prepare();
    if (prepared != WeaveClient.Outcome.SENT) {
      return prepared;
    }
    String projectId = entity + "/" + session.project();
    long now = System.currentTimeMillis();
    List<Map<String, Object>> calls = new ArrayList<Map<String, Object>>();
    Set<String> goneOwners = new HashSet<String>();
    Map<String, Long> goneByOwner = new HashMap<String, Long>();
    for (Iterator<Map<String, Object>> it = waiting.values().iterator(); it.hasNext(); ) {
      Map<String, Object> start = it.next();
      String owner = (String) start.get(OWNER);
      Long known = owner == null ? Long.valueOf(0) : goneByOwner.get(owner);
      long gone = known != null ? known : owners.goneSince(owner);
      if (known == null) {
        goneByOwner.put(owner, gone); // one probe per writer, however many of its calls wait
      }
      if (gone < 0 && closing && owner.equals(owners.token())) {
        gone = now;
      }
      if (gone < 0) {
        continue;
      }
      Map<String, Object> fields = startFields(start);
      calls.add(WeaveCalls.inProject(WeaveCalls.complete(fields, WeaveCalls.abandonedEnd(fields, gone)), projectId));
      if (owner != null) {
        goneOwners.add(owner);
      }
      it.remove();
    }
    AgentLog.debug((waiting.size() + calls.size()) + " Weave call(s) wait for their end; " + calls.size()
        + " of them of JVMs that are gone");
    if (calls.isEmpty()) {
      return WeaveClient.Outcome.SENT;
    }
    WeaveClient.Outcome outcome = client.complete(entity, session.project(), calls);
    problem = client.lastProblem();
    if (outcome == WeaveClient.Outcome.SENT || outcome == WeaveClient.Outcome.REFUSED) {
      open.save(waiting);
      for (String owner : goneOwners) {
        owners.forget(owner);
      }
      AgentLog.info(calls.size() + " Weave call(s) whose JVM exited before they ended were sent as ended");
    }
    return outcome;
  }

  /**
   * A start's fields, with its op name as a ref to the op object and {@code wb_run_id} when its JVM
   * wrote a run (the entity is known here).
   */
  private Map<String, Object> startFields(Map<String, Object> entry) {
    Map<String, Object> fields = new LinkedHashMap<String, Object>(fields(entry));
    Object opName = fields.get("op_name");
    if (opName instanceof String && !((String) opName).startsWith("weave:///")) {
      fields.put("op_name", opRef((String) opName));
    }
    Object run = entry.get(RUN);
    if (run != null) {
      fields.put("wb_run_id", entity + "/" + session.project() + "/" + run);
    }
    return fields;
  }

  /**
   * {@code weave:///<entity>/<project>/op/<name>:<digest>} for an op made once per name (as the Python
   * client and Weave's OTLP path do), so the Ops list and filters know the call; the plain name when the
   * server could not make it (it takes a plain name too).
   */
  private String opRef(String name) {
    if (opRefs.containsKey(name)) {
      String ref = opRefs.get(name);
      return ref == null ? name : ref;
    }
    String objectId = name.replaceAll("[^\\w._-]", "_");
    objectId = objectId.substring(0, Math.min(objectId.length(), WeaveCalls.MAX_OP_NAME));
    String digest = client.createOp(entity, session.project(), objectId,
        "# " + name + ": a span traced by wandb-agent (Java); the traced code is not Python\n");
    if (digest == null) {
      return name; // asked again with the next batch
    }
    String ref = digest.isEmpty() ? null
        : "weave:///" + entity + "/" + session.project() + "/op/" + objectId + ":" + digest;
    opRefs.put(name, ref);
    return ref == null ? name : ref;
  }

  /** The entry as its {@code upsert_batch} item, {@code {"mode", "req"}}, in the project. */
  private Map<String, Object> inProject(Map<String, Object> entry, String projectId) {
    String mode = (String) entry.get("mode");
    Map<String, Object> item = new LinkedHashMap<String, Object>();
    item.put("mode", mode);
    Map<String, Object> req = new LinkedHashMap<String, Object>();
    req.put(mode, WeaveCalls.inProject("start".equals(mode) ? startFields(entry) : fields(entry), projectId));
    item.put("req", req);
    return item;
  }

  @SuppressWarnings("unchecked") // entries are built by WeaveSink.entry and read back from JSON
  static Map<String, Object> fields(Map<String, Object> entry) {
    return (Map<String, Object>) ((Map<?, ?>) entry.get("req")).get(entry.get("mode"));
  }

  /**
   * A spool entry: {@code mode}, then the agent-only keys ({@link #OWNER}, {@link #RUN},
   * {@link #STARTED_AT}), then {@code req} last, the shape {@link SpooledItem} splices.
   */
  static Map<String, Object> entry(String mode, Map<String, Object> agentKeys, Map<String, Object> fields) {
    Map<String, Object> item = new LinkedHashMap<String, Object>();
    item.put("mode", mode);
    item.putAll(agentKeys);
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
