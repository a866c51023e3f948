package ai.wandb.agent.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secrets in captured text with {@code <redacted>}: API keys, bearer tokens and
 * {@code Authorization} values always, plus the patterns of {@code wandb.redact}. Immutable.
 */
public final class Redactor {
  static final String REDACTED = "<redacted>";

  /** Map keys whose values are credentials whatever they look like (HTTP headers, config maps). */
  private static final Set<String> SECRET_KEYS = new HashSet<String>(Arrays.asList(
      "authorization", "proxy-authorization", "api_key", "api-key", "apikey", "x-api-key", "openai-api-key",
      "wandb_api_key", "password", "cookie", "set-cookie"));

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

  private Redactor(List<Rule> rules) {
    this.rules = rules;
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

  /** Whether a map entry under this key holds a credential, so its whole value is redacted. */
  static boolean isSecretKey(Object key) {
    return key instanceof String && SECRET_KEYS.contains(((String) key).toLowerCase(Locale.ROOT));
  }

  public String redact(String text) {
    String out = text;
    // Rules' words are looked up in the original text: a replacement only removes text, and
    // "<redacted>" contains none of them, so this never skips a rule that could match.
    String lowerCase = null;
    for (Rule rule : rules) {
      if (rule.words.length > 0) {
        if (lowerCase == null) {
          lowerCase = text.toLowerCase(Locale.ROOT);
        }
        if (!rule.mayMatch(lowerCase)) {
          continue;
        }
      }
      Matcher matcher = rule.pattern.matcher(out);
      if (matcher.find()) {
        out = matcher.replaceAll(rule.replacement);
      }
    }
    return out;
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
