package ai.wandb.examples.githuburl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GithubSearchUrlTest {

    private static final String VALID = "https://github.com/search?q=java+yaml+parser&type=repositories";

    @Test
    void acceptsRepositorySearchUrl() {
        assertEquals(VALID, GithubSearchUrl.fromAnswer(VALID).url());
    }

    @Test
    void acceptsParametersInAnyOrderAndPercentEncoding() {
        String url = "https://github.com/search?type=repositories&q=c%2B%2B%20json";
        assertEquals(url, GithubSearchUrl.fromAnswer(url).url());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "  " + VALID + "\n",
        "`" + VALID + "`",
        "```\n" + VALID + "\n```",
        "[search](" + VALID + ")",
        "<" + VALID + ">",
        "Here is the URL: " + VALID + ".",
        "\"" + VALID + "\" should do."
    })
    void extractsFirstUrlFromAnswerText(String answer) {
        assertEquals(VALID, GithubSearchUrl.fromAnswer(answer).url());
    }

    @Test
    void rejectsWrongHost() {
        assertReason("not a github.com URL: https://gitlab.com/search?q=java&type=repositories",
                "https://gitlab.com/search?q=java&type=repositories");
    }

    @Test
    void rejectsPlainHttp() {
        assertReason("not an https URL: http://github.com/search?q=java&type=repositories",
                "http://github.com/search?q=java&type=repositories");
    }

    @Test
    void rejectsOtherPaths() {
        assertReason("not a GitHub search URL: https://github.com/topics/java?q=java&type=repositories",
                "https://github.com/topics/java?q=java&type=repositories");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://github.com/search?type=repositories",
        "https://github.com/search?q=&type=repositories",
        "https://github.com/search?q=+&type=repositories"
    })
    void rejectsMissingQuery(String url) {
        assertReason("search URL without a query (q): " + url, url);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://github.com/search?q=java",
        "https://github.com/search?q=java&type=code"
    })
    void rejectsOtherSearchTypes(String url) {
        assertReason("search URL without type=repositories: " + url, url);
    }

    @Test
    void rejectsGarbage() {
        assertReason("no URL in the answer \"Sorry, I can't help with that.\"", "Sorry, I can't help with that.");
    }

    @Test
    void rejectsMalformedUrl() {
        assertReason("invalid URL https://github.com/search?q=%zz&type=repositories",
                "https://github.com/search?q=%zz&type=repositories");
    }

    private static void assertReason(String reason, String answer) {
        assertEquals(reason, assertThrows(IllegalArgumentException.class,
                () -> GithubSearchUrl.fromAnswer(answer)).getMessage());
    }
}
