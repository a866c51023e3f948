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
