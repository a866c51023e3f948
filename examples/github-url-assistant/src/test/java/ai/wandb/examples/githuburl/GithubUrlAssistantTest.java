package ai.wandb.examples.githuburl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the whole app in-process against the offline endpoint, as the jar does without a key. */
class GithubUrlAssistantTest {

    // An empty environment forces the offline endpoint even where OPENAI_API_KEY is set.
    private static final Map<String, String> NO_KEY = Map.of();

    @Test
    void answersGoodQuestionWithExactUrl() {
        Run run = run("find java yaml parsers");

        assertEquals(GithubUrlAssistant.ALL_ANSWERED, run.exitCode);
        assertEquals(List.of(
                "OK   find java yaml parsers -> https://github.com/search?q=java+yaml+parsers&type=repositories",
                "1 of 1 questions answered"), run.out);
        assertEquals(List.of(GithubUrlAssistant.OFFLINE_NOTICE), run.err);
    }

    @Test
    void reportsServerErrorAndFailsTheRun() {
        Run run = run("find java yaml parsers", "fail-demo please");

        assertEquals(GithubUrlAssistant.SOME_FAILED, run.exitCode);
        assertEquals(List.of(
                "OK   find java yaml parsers -> https://github.com/search?q=java+yaml+parsers&type=repositories",
                "FAIL fail-demo please -> API error 500: The server had an error while processing your request"
                        + " (the question asked for fail-demo).",
                "1 of 2 questions answered"), run.out);
    }

    @Test
    void reportsAnswerThatIsNotAUrl() {
        Run run = run("bad-url-demo rust");

        assertEquals(GithubUrlAssistant.SOME_FAILED, run.exitCode);
        assertEquals(List.of(
                "FAIL bad-url-demo rust -> no URL in the answer \"Sorry, I can't turn that into a GitHub search.\"",
                "0 of 1 questions answered"), run.out);
    }

    @Test
    void asksSampleQuestionsWithoutArguments() {
        Run run = run();

        assertEquals(GithubUrlAssistant.ALL_ANSWERED, run.exitCode);
        assertEquals(List.of(
                "OK   find java libraries for parsing yaml -> https://github.com/search?q=java+parsing+yaml&type=repositories",
                "OK   rust web frameworks with websockets -> https://github.com/search?q=rust+web+frameworks+websockets&type=repositories",
                "OK   python command line argument parsers -> https://github.com/search?q=python+command+line+argument+parsers&type=repositories",
                "3 of 3 questions answered"), run.out);
    }

    @Test
    void rejectsOptionsAndBlankQuestions() {
        assertEquals(GithubUrlAssistant.BAD_USAGE, run("--help").exitCode);
        Run blank = run("java yaml", " ");
        assertEquals(GithubUrlAssistant.BAD_USAGE, blank.exitCode);
        assertEquals(List.of(), blank.out);
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = GithubUrlAssistant.run(args, NO_KEY,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private record Run(int exitCode, List<String> out, List<String> err) {}
}
