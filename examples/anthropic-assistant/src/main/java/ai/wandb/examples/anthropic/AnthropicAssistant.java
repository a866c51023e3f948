package ai.wandb.examples.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command-line assistant that asks Claude to turn each question into a GitHub repository search URL:
 * the model calls the {@code github_search_url} tool, the app runs it and sends the result back, and
 * the model answers with the URL. A question that starts with {@code stream:} is asked without the tool
 * and streamed, its text printed as it arrives.
 *
 * <p>Usage: {@code java -jar anthropic-assistant.jar ["question" ...]}; without arguments it asks
 * {@link #SAMPLE_QUESTIONS}. With {@code ANTHROPIC_API_KEY} set it talks to Anthropic (or to
 * {@code ANTHROPIC_BASE_URL}); without it, to an {@link OfflineAnthropicEndpoint} on loopback. The model
 * is {@code claude-sonnet-4-5} unless {@code ANTHROPIC_MODEL} says otherwise. A question with
 * {@code fail-demo} in it is answered offline with Anthropic's 529 {@code overloaded_error}, one with
 * {@code cut-demo} with a stream whose connection drops halfway. Failures are reported on stdout, with
 * their stack trace on stderr as a logger would print it.
 *
 * <p>Exit status: 0 when every question got an answer, 1 when any did not.
 */
public final class AnthropicAssistant {
    static final List<String> SAMPLE_QUESTIONS = List.of(
            "find java libraries for parsing yaml",
            "stream: rust web frameworks with websockets");
    static final String STREAM_PREFIX = "stream:";

    static final String OFFLINE_NOTICE = "[anthropic-assistant] ANTHROPIC_API_KEY is not set: answering from the"
            + " built-in offline demo endpoint (answers are canned, not from a model)";

    private static final String SYSTEM_PROMPT = "You write GitHub repository search URLs. Call github_search_url"
            + " with the search query, then answer with the URL it returns and nothing else.";
    private static final String DEFAULT_MODEL = "claude-sonnet-4-5";
    private static final Tool SEARCH_TOOL = Tool.builder()
            .name("github_search_url")
            .description("Builds the GitHub repository search URL for a query.")
            .inputSchema(Tool.InputSchema.builder()
                    .putAdditionalProperty("properties",
                            JsonValue.from(Map.of("query", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("query")))
                    .build())
            .build();

    private AnthropicAssistant() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> questions = args.length == 0 ? SAMPLE_QUESTIONS : List.of(args);
        String requestedModel = env.getOrDefault("ANTHROPIC_MODEL", "").strip();
        String model = requestedModel.isEmpty() ? DEFAULT_MODEL : requestedModel;
        if (!env.getOrDefault("ANTHROPIC_API_KEY", "").isBlank()) {
            return answerAll(AnthropicOkHttpClient.fromEnv(), model, questions, out, err);
        }
        err.println(OFFLINE_NOTICE);
        try (OfflineAnthropicEndpoint endpoint = OfflineAnthropicEndpoint.start()) {
            AnthropicClient client = AnthropicOkHttpClient.builder()
                    .baseUrl(endpoint.baseUrl())
                    .apiKey("offline-demo")
                    // The canned 529 of "fail-demo" would otherwise be retried twice, with back-off.
                    .maxRetries(0)
                    .build();
            return answerAll(client, model, questions, out, err);
        } catch (IOException e) {
            err.println("[anthropic-assistant] cannot start the offline demo endpoint: " + e.getMessage());
            return 1;
        }
    }

    private static int answerAll(AnthropicClient client, String model, List<String> questions, PrintStream out,
            PrintStream err) {
        int failed = 0;
        for (String question : questions) {
            boolean stream = question.startsWith(STREAM_PREFIX);
            try {
                out.println(question);
                String answer = stream
                        ? streamAnswer(client, model, question.substring(STREAM_PREFIX.length()).strip(), out)
                        : askWithTool(client, model, question);
                out.println("  -> " + answer);
            } catch (AnthropicException e) {
                failed++;
                out.println("  could not answer: " + e.getMessage());
                e.printStackTrace(err);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** One turn with the tool: the model's tool call, the app's result, the model's answer. */
    static String askWithTool(AnthropicClient client, String model, String question) {
        MessageCreateParams.Builder request = MessageCreateParams.builder().model(model).maxTokens(256L)
                .system(SYSTEM_PROMPT).addTool(SEARCH_TOOL).addUserMessage(question);
        for (int turn = 0; turn < 3; turn++) {
            Message reply = client.messages().create(request.build());
            List<ContentBlockParam> results = new ArrayList<>();
            for (ContentBlock block : reply.content()) {
                block.toolUse().ifPresent(call -> results.add(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(call.id()).content(runTool(call)).build())));
            }
            if (results.isEmpty()) {
                return text(reply);
            }
            request.addMessage(reply).addUserMessageOfContentBlockParams(results);
        }
        return "(no answer after 3 turns)";
    }

    /** The streamed answer, printed as it arrives. */
    static String streamAnswer(AnthropicClient client, String model, String question, PrintStream out) {
        StringBuilder text = new StringBuilder();
        MessageCreateParams params = MessageCreateParams.builder().model(model).maxTokens(256L).system(SYSTEM_PROMPT)
                .addUserMessage(question).build();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(event -> event.contentBlockDelta()
                    .flatMap(delta -> delta.delta().text())
                    .ifPresent(delta -> {
                        out.print("  .. " + delta.text() + "\n");
                        text.append(delta.text());
                    }));
        }
        return text.toString();
    }

    private static String runTool(ToolUseBlock call) {
        Object query = call._input().convert(Map.class).get("query");
        return GithubSearchUrl.of(String.valueOf(query));
    }

    private static String text(Message reply) {
        StringBuilder text = new StringBuilder();
        reply.content().forEach(block -> block.text().ifPresent(part -> text.append(part.text())));
        return text.toString();
    }
}
