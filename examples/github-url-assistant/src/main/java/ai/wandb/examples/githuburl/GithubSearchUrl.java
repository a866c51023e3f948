package ai.wandb.examples.githuburl;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub repository search URL ({@code https://github.com/search?q=...&type=repositories}) taken
 * from a model's answer.
 */
final class GithubSearchUrl {

    /** Models wrap URLs in backticks, quotes, angle brackets or markdown links, so those end a URL. */
    private static final Pattern URL = Pattern.compile("https?://[^\\s`'\"<>()\\[\\]{}]+");
    private static final String SENTENCE_PUNCTUATION = ".,;:!?";
    private static final int QUOTED_ANSWER_LIMIT = 60;

    private final String url;

    private GithubSearchUrl(String url) {
        this.url = url;
    }

    /**
     * Checks the first http(s) URL found in {@code answer}.
     *
     * @throws IllegalArgumentException with a one-line, human-readable reason when the answer holds
     *     no valid GitHub repository search URL
     */
    static GithubSearchUrl fromAnswer(String answer) {
        Matcher matcher = URL.matcher(answer);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no URL in the answer " + quote(answer));
        }
        String url = stripSentencePunctuation(matcher.group());
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid URL " + url);
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an https URL: " + url);
        }
        if (!"github.com".equalsIgnoreCase(uri.getHost())) {
            throw new IllegalArgumentException("not a github.com URL: " + url);
        }
        if (!"/search".equals(uri.getPath())) {
            throw new IllegalArgumentException("not a GitHub search URL: " + url);
        }
        Map<String, String> parameters = queryParameters(uri.getRawQuery());
        if (parameters.getOrDefault("q", "").isBlank()) {
            throw new IllegalArgumentException("search URL without a query (q): " + url);
        }
        if (!"repositories".equals(parameters.get("type"))) {
            throw new IllegalArgumentException("search URL without type=repositories: " + url);
        }
        return new GithubSearchUrl(url);
    }

    String url() {
        return url;
    }

    private static String stripSentencePunctuation(String url) {
        int end = url.length();
        while (end > 0 && SENTENCE_PUNCTUATION.indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }

    /** {@link URI} has already rejected malformed escapes, so decoding cannot fail here. */
    private static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.putIfAbsent(decode(name), decode(value));
        }
        return parameters;
    }

    private static String decode(String component) {
        return URLDecoder.decode(component, StandardCharsets.UTF_8);
    }

    private static String quote(String answer) {
        String oneLine = answer.strip().replaceAll("\\s+", " ");
        if (oneLine.length() > QUOTED_ANSWER_LIMIT) {
            oneLine = oneLine.substring(0, QUOTED_ANSWER_LIMIT) + "...";
        }
        return "\"" + oneLine + "\"";
    }
}
