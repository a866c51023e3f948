package ai.wandb.agent.instrumentation.googlegenai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chunks of a {@code streamGenerateContent} stream folded into the one {@code GenerateContentResponse}
 * the same call would have returned without streaming: per candidate index, text parts run together
 * (thought text apart from answer text), function calls and other parts kept in order, the last finish
 * reason; the last usage metadata, model version and response id. Exporter thread only.
 */
final class StreamFold {
  private StreamFold() {}

  static Map<String, Object> fold(List<Map<String, Object>> chunks) {
    Map<String, Object> out = new LinkedHashMap<String, Object>();
    Map<Integer, Map<String, Object>> candidates = new TreeMap<Integer, Map<String, Object>>();
    for (Map<String, Object> chunk : chunks) {
      for (Object candidate : SdkJson.list(chunk.get("candidates"))) {
        Map<String, Object> piece = SdkJson.map(candidate);
        if (piece != null) {
          Object index = piece.get("index");
          int key = index instanceof Number ? ((Number) index).intValue() : 0;
          Map<String, Object> folded = candidates.get(key);
          if (folded == null) {
            folded = new LinkedHashMap<String, Object>();
            candidates.put(key, folded);
          }
          merge(folded, piece);
        }
      }
      for (Map.Entry<String, Object> field : chunk.entrySet()) {
        if (!field.getKey().equals("candidates") && field.getValue() != null) {
          out.put(field.getKey(), field.getValue());
        }
      }
    }
    if (!candidates.isEmpty()) {
      out.put("candidates", new ArrayList<Object>(candidates.values()));
    }
    return out;
  }

  private static void merge(Map<String, Object> folded, Map<String, Object> piece) {
    for (Map.Entry<String, Object> field : piece.entrySet()) {
      if (field.getKey().equals("content")) {
        Map<String, Object> content = SdkJson.map(field.getValue());
        if (content != null) {
          mergeContent(folded, content);
        }
      } else if (field.getValue() != null) {
        folded.put(field.getKey(), field.getValue());
      }
    }
  }

  private static void mergeContent(Map<String, Object> folded, Map<String, Object> content) {
    Map<String, Object> into = SdkJson.map(folded.get("content"));
    if (into == null) {
      into = new LinkedHashMap<String, Object>();
      into.put("parts", new ArrayList<Object>());
      folded.put("content", into);
    }
    if (content.get("role") != null) {
      into.put("role", content.get("role"));
    }
    List<Object> parts = SdkJson.list(into.get("parts"));
    for (Object part : SdkJson.list(content.get("parts"))) {
      Map<String, Object> next = SdkJson.map(part);
      if (next == null) {
        continue;
      }
      Map<String, Object> last = parts.isEmpty() ? null : SdkJson.map(parts.get(parts.size() - 1));
      if (last != null && isText(last) && isText(next)
          && Boolean.TRUE.equals(last.get("thought")) == Boolean.TRUE.equals(next.get("thought"))) {
        Map<String, Object> joined = new LinkedHashMap<String, Object>(last);
        joined.put("text", String.valueOf(last.get("text")) + next.get("text"));
        parts.set(parts.size() - 1, joined);
      } else {
        parts.add(new LinkedHashMap<String, Object>(next));
      }
    }
  }

  /** A part with only text (and perhaps the thought flag): what a stream splits across chunks. */
  private static boolean isText(Map<String, Object> part) {
    if (!(part.get("text") instanceof String)) {
      return false;
    }
    for (String key : part.keySet()) {
      if (!key.equals("text") && !key.equals("thought")) {
        return false;
      }
    }
    return true;
  }
}
