package ai.wandb.examples.githuburl;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Command-line assistant that asks an OpenAI chat model to turn each question into a GitHub
 * repository search URL, checks the URL and reports the questions it could not answer.
 *
 * <p>Usage: {@code java -jar github-url-assistant.jar ["question" ...]}; without arguments it asks
 * {@link #SAMPLE_QUESTIONS}. With {@code OPENAI_API_KEY} set it talks to OpenAI (or to
 * {@code OPENAI_BASE_URL}); without it, to an {@link OfflineDemoEndpoint} on loopback. The model is
 * {@code gpt-4o-mini} unless {@code OPENAI_MODEL} says otherwise.
 *
 * <p>Exit status: 0 when every question got a valid URL, 1 when any did not, 2 on bad usage.
 */
public final class GithubUrlAssistant {

    static final List<String> SAMPLE_QUESTIONS = List.of(
            "find java libraries for parsing yaml",
            "rust web frameworks with websockets",
            "python command line argument parsers");

    static final String OFFLINE_NOTICE = "[github-url-assistant] OPENAI_API_KEY is not set: answering from the"
            + " built-in offline demo endpoint (answers are canned, not from a model)";

    private static final String SYSTEM_PROMPT = "You are an assistant that writes GitHub repository search URLs."
            + " Answer with one URL of the form https://github.com/search?q=<url-encoded query>&type=repositories"
            + " and nothing else.";
    private static final String DEFAULT_MODEL = "gpt-4o-mini";
    private static final String USAGE = "usage: java -jar github-url-assistant.jar [\"question\" ...]\n"
            + "Turns each question into a GitHub repository search URL; without questions it asks "
            + SAMPLE_QUESTIONS.size() + " samples.";

    static final int ALL_ANSWERED = 0;
    static final int SOME_FAILED = 1;
    static final int BAD_USAGE = 2;

    private GithubUrlAssistant() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Answers {@code args} (or the samples) and returns the exit status. {@code env} decides between
     * OpenAI and the offline endpoint; the OpenAI client itself reads the process environment.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        for (String arg : args) {
            if (arg.isBlank() || arg.startsWith("-")) {
                err.println(USAGE);
                return BAD_USAGE;
            }
        }
        List<String> questions = args.length == 0 ? SAMPLE_QUESTIONS : List.of(args);
        String requestedModel = env.getOrDefault("OPENAI_MODEL", "").strip();
        String model = requestedModel.isEmpty() ? DEFAULT_MODEL : requestedModel;
        if (!env.getOrDefault("OPENAI_API_KEY", "").isBlank()) {
            return answerAll(OpenAIOkHttpClient.fromEnv(), model, questions, out);
        }
        err.println(OFFLINE_NOTICE);
        try (OfflineDemoEndpoint endpoint = OfflineDemoEndpoint.start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder()
                    .baseUrl(endpoint.baseUrl())
                    .apiKey("offline-demo")
                    // The canned 500 of "fail-demo" would otherwise be retried twice, with back-off.
                    .maxRetries(0)
                    .build();
            return answerAll(client, model, questions, out);
        } catch (IOException e) {
            err.println("[github-url-assistant] cannot start the offline demo endpoint: " + e.getMessage());
            return SOME_FAILED;
        }
    }

    private static int answerAll(OpenAIClient client, String model, List<String> questions, PrintStream out) {
        int answered = 0;
        try {
            for (String question : questions) {
                try {
                    String url = GithubSearchUrl.fromAnswer(ask(client, model, question)).url();
                    out.println("OK   " + question + " -> " + url);
                    answered++;
                } catch (OpenAIException | IllegalArgumentException e) {
                    out.println("FAIL " + question + " -> " + reason(e));
                }
            }
        } finally {
            client.close();
        }
        out.println(answered + " of " + questions.size() + " questions answered");
        return answered == questions.size() ? ALL_ANSWERED : SOME_FAILED;
    }

    // seed is deprecated in the SDK but still honoured by the API; it keeps real answers repeatable.
    @SuppressWarnings("deprecation")
    private static String ask(OpenAIClient client, String model, String question) {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(SYSTEM_PROMPT)
                .addUserMessage(question)
                .temperature(0.2)
                .maxCompletionTokens(200)
                .seed(42)
                .build();
        ChatCompletion completion = client.chat().completions().create(params);
        return completion.choices().stream()
                .findFirst()
                .flatMap(choice -> choice.message().content())
                .orElseThrow(() -> new IllegalArgumentException("empty answer"));
    }

    private static String reason(Exception e) {
        String reason = e.getMessage();
        if (e instanceof OpenAIServiceException) {
            reason = "API error " + reason; // the SDK's message already starts with the status code
        } else if (e instanceof OpenAIException) {
            reason = "API error: " + reason + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
        }
        // One line per question, whatever the server or the SDK put in the message.
        return reason.replaceAll("\\s+", " ").strip();
    }
}
