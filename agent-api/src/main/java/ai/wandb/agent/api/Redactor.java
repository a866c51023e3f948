package ai.wandb.agent.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in captured text with {@code <redacted>}: API keys, bearer tokens and
 * {@code Authorization} values always, plus the patterns of {@code wandb.redact}. Immutable.
 */
public final class Redactor {
  static final String REDACTED = "<redacted>";

  /** Map keys whose values are credentials whatever they look like (HTTP headers, config maps); lower case. */
  private static final String[] SECRET_KEYS = {
      "authorization", "proxy-authorization", "api_key", "api-key", "apikey", "x-api-key", "openai-api-key",
      "wandb_api_key", "password", "cookie", "set-cookie"};

  /**
   * Built-in rules; a rule with a group keeps that group (the label) and redacts what follows it. Each
   * names the words one of which any match contains (lower case): a rule runs only on text that
   * contains one, since scanning every captured prompt with every expression was the exporter's main
   * cost (three quarters of its CPU samples with 3 KB texts).
   */
  private static final List<Rule> BUILT_IN = Collections.unmodifiableList(Arrays.asList(
      // "Authorization: Bearer x", "authorization=Basic x", "\"Authorization\": \"x\""
      new Rule(Pattern.compile("(?i)(\\bauthorization[\"']?\\s*[:=]\\s*[\"']?)(?:(?:bearer|basic|token)\\s+)?[^\\s\"',;}]+"),
          "$1" + REDACTED, "authorization"),
      new Rule(Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{8,}"), "$1" + REDACTED, "bearer"),
      // OpenAI keys (sk-..., sk-proj-...) and Anthropic-style keys.
      new Rule(Pattern.compile("\\bsk-[A-Za-z0-9_-]{16,}"), REDACTED, "sk-"),
      // W&B's 40-hex keys and other keys next to a name that says what they are.
      new Rule(Pattern.compile(
          "(?i)((?:api[_-]?key|x-api-key|wandb_api_key|password|secret|access[_-]?token)[\"']?\\s*[:=]\\s*[\"']?)"
              + "[A-Za-z0-9._~+/-]{8,}"), "$1" + REDACTED,
          "apikey", "api_key", "api-key", "password", "secret", "accesstoken", "access_token", "access-token")));

  /** Only the built-in rules. */
  public static final Redactor BUILT_IN_ONLY = new Redactor(BUILT_IN);

  private final List<Rule> rules;
  /**
   * The rules' words, looked for in one pass over each text without lower-casing it (a copy of every
   * captured text, keys included, was a good part of the exporter's time at a web server's trickle).
   */
  private final WordScan scan;

  private Redactor(List<Rule> rules) {
    this.rules = rules;
    this.scan = new WordScan(rules);
  }

  /**
   * The built-in rules, then every literal secret the agent knows (the W&B API key), then the user's
   * patterns, whose whole match is redacted.
   */
  public static Redactor of(List<Pattern> userPatterns, List<String> literalSecrets) {
    List<Rule> rules = new ArrayList<Rule>(BUILT_IN);
    for (String secret : literalSecrets) {
      if (secret != null && !secret.isEmpty()) {
        rules.add(new Rule(Pattern.compile(Pattern.quote(secret)), REDACTED, secret.toLowerCase(Locale.ROOT)));
      }
    }
    for (Pattern pattern : userPatterns) {
      rules.add(new Rule(pattern, REDACTED));
    }
    return new Redactor(Collections.unmodifiableList(rules));
  }

  /**
   * Whether a map entry under this key holds a credential, so its whole value is redacted: whether the
   * key, lower-cased, is one of {@link #SECRET_KEYS}, compared without making the lower-case copy.
   */
  static boolean isSecretKey(Object key) {
    if (!(key instanceof String)) {
      return false;
    }
    String name = (String) key;
    for (String secret : SECRET_KEYS) {
      if (secret.length() == name.length() && lowerCaseEquals(name, secret)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code name.toLowerCase(Locale.ROOT).equals(lowerAscii)} for an ASCII word of the same length: the
   * only characters that lower-case to ASCII are ASCII letters and the Kelvin sign (U+0130 becomes two
   * characters, one of them not ASCII, so it can never be part of an equal string).
   */
  private static boolean lowerCaseEquals(String name, String lowerAscii) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c == '\u212A' ? 'k' : c;
      if (lower != lowerAscii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  public String redact(String text) {
    String out = text;
    // Rules' words are looked up in the original text: a replacement only removes text, and
    // "<redacted>" contains none of them, so this never skips a rule that could match.
    long found = scan.find(text);
    String lowerCase = null;
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (rule.words.length > 0) {
        if (scan.covers(i)) {
          if ((found & 1L << i) == 0) {
            continue;
          }
        } else {
          if (lowerCase == null) {
            lowerCase = text.toLowerCase(Locale.ROOT);
          }
          if (!rule.mayMatch(lowerCase)) {
            continue;
          }
        }
      }
      Matcher matcher = rule.pattern.matcher(out);
      if (matcher.find()) {
        out = matcher.replaceAll(rule.replacement);
      }
    }
    return out;
  }

  /**
   * The ASCII words of the first 64 rules, by first letter; a rule with a word that is not ASCII (a
   * literal secret) is looked for in the lower-cased text instead ({@link Rule#mayMatch}).
   */
  private static final class WordScan {
    /** Per lower-case ASCII first letter: the words that start with it, and the rule (bit) of each. */
    private final String[][] words = new String[128][];
    private final int[][] ruleOf = new int[128][];
    private long covered;

    WordScan(List<Rule> rules) {
      for (int i = 0; i < rules.size() && i < 64; i++) {
        Rule rule = rules.get(i);
        if (rule.words.length == 0 || !ascii(rule.words)) {
          continue;
        }
        covered |= 1L << i;
        for (String word : rule.words) {
          char first = word.charAt(0);
          words[first] = append(words[first], word);
          int[] rulesOf = ruleOf[first] == null ? new int[0] : ruleOf[first];
          rulesOf = Arrays.copyOf(rulesOf, rulesOf.length + 1);
          rulesOf[rulesOf.length - 1] = i;
          ruleOf[first] = rulesOf;
        }
      }
    }

    private static boolean ascii(String[] words) {
      for (String word : words) {
        if (word.isEmpty()) {
          return false;
        }
        for (int i = 0; i < word.length(); i++) {
          if (word.charAt(i) >= 128) {
            return false;
          }
        }
      }
      return true;
    }

    private static String[] append(String[] array, String word) {
      String[] out = array == null ? new String[1] : Arrays.copyOf(array, array.length + 1);
      out[out.length - 1] = word;
      return out;
    }

    boolean covers(int rule) {
      return rule < 64 && (covered & 1L << rule) != 0;
    }

    /**
     * The rules (bits) one of whose words the text contains, matching as the lower-cased text would: every
     * word {@code text.toLowerCase(Locale.ROOT)} contains is found here (U+0130 lower-cases to an "i" and a
     * combining dot, so it is taken as an "i", which finds a little more, never less; a rule that runs
     * without a match changes nothing).
     */
    long find(String text) {
      long found = 0;
      int length = text.length();
      for (int at = 0; at < length; at++) {
        char c = fold(text.charAt(at));
        if (c >= 128 || words[c] == null) {
          continue;
        }
        String[] candidates = words[c];
        for (int w = 0; w < candidates.length; w++) {
          int rule = ruleOf[c][w];
          if ((found & 1L << rule) == 0 && startsWith(text, at, candidates[w])) {
            found |= 1L << rule;
            if (found == covered) {
              return found;
            }
          }
        }
      }
      return found;
    }

    private static boolean startsWith(String text, int at, String word) {
      if (at + word.length() > text.length()) {
        return false;
      }
      for (int i = 1; i < word.length(); i++) {
        if (fold(text.charAt(at + i)) != word.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** The ASCII character a character lower-cases to, if any; other characters as they are. */
    private static char fold(char c) {
      if (c >= 'A' && c <= 'Z') {
        return (char) (c + ('a' - 'A'));
      }
      if (c == '\u212A') {
        return 'k';
      }
      return c == '\u0130' ? 'i' : c;
    }
  }

  private static final class Rule {
    final Pattern pattern;
    final String replacement;
    /** Lower case; every match contains one of them. None: the rule always runs. */
    final String[] words;

    Rule(Pattern pattern, String replacement, String... words) {
      this.pattern = pattern;
      this.replacement = replacement;
      this.words = words;
    }

    /**
     * Whether the text (lower-cased) contains one of the words. Matching ASCII case-insensitively, as
     * these expressions do, never finds a word that lower-casing would not expose.
     */
    boolean mayMatch(String lowerCaseText) {
      for (String word : words) {
        if (lowerCaseText.contains(word)) {
          return true;
        }
      }
      return false;
    }
  }
}
