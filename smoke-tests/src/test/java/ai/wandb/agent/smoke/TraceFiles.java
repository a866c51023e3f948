package ai.wandb.agent.smoke;

import ai.wandb.agent.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads what the local sink left in {@code wandb/traces}. */
final class TraceFiles {
  private TraceFiles() {}

  static Path tracesDir(Path wandbDir) {
    return wandbDir.resolve("wandb").resolve("traces");
  }

  /** Every trace of every {@code *.jsonl} file in the folder, in file order. */
  static List<Map<String, Object>> readTraces(Path tracesDir) throws IOException {
    List<Map<String, Object>> traces = new ArrayList<>();
    try (Stream<Path> files = Files.list(tracesDir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(file)) {
          traces.add(parse(line));
        }
      }
    }
    return traces;
  }

  /** What the viewer reads: traces.js ({@code wandbIndex({"chunks":[...]});}), parsed. */
  static Map<String, Object> viewerIndex(Path tracesDir) throws IOException {
    String script = Files.readString(tracesDir.resolve("traces.js"));
    return parse(script.substring("wandbIndex(".length(), script.lastIndexOf(");")));
  }

  /** The {@code wandbTrace(...)} lines of the chunks traces.js lists, in order. */
  static List<String> viewerLines(Path tracesDir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (Object chunk : list(viewerIndex(tracesDir).get("chunks"))) {
      lines.addAll(Files.readAllLines(tracesDir.resolve((String) object(chunk).get("file"))));
    }
    return lines;
  }

  static Map<String, Object> parse(String line) {
    try {
      return Json.parseObject(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON object: " + line, e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
