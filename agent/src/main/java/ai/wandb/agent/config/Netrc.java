package ai.wandb.agent.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The passwords of a netrc file by machine name, where {@code wandb login} stores the API key.
 * Understands the standard tokens ({@code machine}, {@code default}, {@code login}, {@code
 * password}, {@code account}, {@code macdef}) separated by any whitespace.
 */
final class Netrc {
  /** The name under which the {@code default} entry is kept. */
  static final String DEFAULT_MACHINE = "default";

  private final Map<String, String> passwords;

  private Netrc(Map<String, String> passwords) {
    this.passwords = passwords;
  }

  /** A password found for a host, and where it was found, for the "API key from" line. */
  static final class Entry {
    private final String password;
    private final String source;

    Entry(String password, String source) {
      this.password = password;
      this.source = source;
    }

    String password() {
      return password;
    }

    /** E.g. "~/.netrc (api.wandb.ai)"; never the password. */
    String source() {
      return source;
    }
  }

  /**
   * The API key for {@code baseUrl} as {@code wandb login} stored it: the file is {@code $NETRC},
   * else {@code ~/.netrc}, else {@code ~/_netrc} (Windows); the machine is the URL's host with its
   * port (as the W&B SDK looks it up), else the bare host, else the {@code default} entry.
   */
  static Entry lookup(String baseUrl, Map<String, String> env, Path userHome, Problems problems) {
    String override = env.get("NETRC");
    Path file;
    String label;
    if (override != null && !override.trim().isEmpty()) {
      file = Paths.get(override.trim());
      label = "$NETRC " + file;
    } else if (userHome == null) {
      return null;
    } else {
      file = userHome.resolve(".netrc");
      label = "~/.netrc";
      if (!Files.exists(file) && Files.exists(userHome.resolve("_netrc"))) {
        file = userHome.resolve("_netrc");
        label = "~/_netrc";
      } else if (!Files.exists(file)) {
        return null;
      }
    }
    Netrc netrc;
    try {
      netrc = read(file);
    } catch (IOException e) {
      problems.report(
          "cannot read "
              + label
              + " ("
              + (e instanceof NoSuchFileException ? "no such file" : e.getMessage())
              + "); no API key taken from it");
      return null;
    }
    for (String machine : machineNames(baseUrl)) {
      String password = netrc.password(machine);
      if (password != null) {
        return new Entry(password, label + " (" + machine + ")");
      }
    }
    return null;
  }

  private static List<String> machineNames(String baseUrl) {
    List<String> names = new ArrayList<>();
    try {
      URI uri = new URI(baseUrl);
      if (uri.getHost() != null) {
        if (uri.getPort() != -1) {
          names.add(uri.getHost() + ":" + uri.getPort());
        }
        names.add(uri.getHost());
      }
    } catch (URISyntaxException e) {
      // The base URL was validated as http(s); a URI it still fails is only matched by default.
    }
    names.add(DEFAULT_MACHINE);
    return names;
  }

  static Netrc read(Path file) throws IOException {
    return parse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
  }

  static Netrc parse(String text) {
    Map<String, String> passwords = new LinkedHashMap<>();
    List<String> tokens = tokens(text);
    String machine = null;
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token.equals("machine") && i + 1 < tokens.size()) {
        machine = tokens.get(++i).toLowerCase(Locale.ROOT);
      } else if (token.equals("default")) {
        machine = DEFAULT_MACHINE;
      } else if (token.equals("password") && i + 1 < tokens.size()) {
        String password = tokens.get(++i);
        // Like ftp and Python's netrc, the first entry for a machine wins.
        if (machine != null && !passwords.containsKey(machine)) {
          passwords.put(machine, password);
        }
      } else if ((token.equals("login") || token.equals("account")) && i + 1 < tokens.size()) {
        i++;
      }
    }
    return new Netrc(passwords);
  }

  /** The password of a machine (or of {@link #DEFAULT_MACHINE}), else null. */
  String password(String machine) {
    return passwords.get(machine.toLowerCase(Locale.ROOT));
  }

  /**
   * Whitespace-separated tokens; comment lines and {@code macdef} bodies (which run to the next
   * empty line) are left out because their words are not tokens.
   */
  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    boolean inMacro = false;
    for (String line : text.split("\r?\n", -1)) {
      String trimmed = line.trim();
      if (inMacro) {
        inMacro = !trimmed.isEmpty();
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue;
      }
      for (String token : trimmed.split("\\s+")) {
        if (token.isEmpty()) {
          continue;
        }
        if (token.equals("macdef")) {
          inMacro = true;
          break;
        }
        tokens.add(token);
      }
    }
    return tokens;
  }
}
