package ai.wandb.examples.anthropic;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The assistant's one tool: a GitHub repository search URL for a query (and the key words of a question). */
final class GithubSearchUrl {
    // "+" and "#" are part of words so that C++ and C# stay searchable.
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}+#]+");
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "of", "for", "with", "in", "on", "to", "that", "which",
            "find", "show", "me", "i", "want", "need", "looking", "search", "please", "some", "any",
            "is", "are", "there", "what", "github", "library", "libraries", "repos", "repositories");

    private GithubSearchUrl() {}

    static String of(String query) {
        return "https://github.com/search?q=" + URLEncoder.encode(query.strip(), StandardCharsets.UTF_8)
                + "&type=repositories";
    }

    /** The words of a question worth searching for, in order. */
    static String keyWords(String question) {
        return Arrays.stream(NON_WORD.split(question.toLowerCase(Locale.ROOT)))
                .filter(word -> !word.isEmpty() && !STOP_WORDS.contains(word))
                .collect(Collectors.joining(" "));
    }
}
