package ai.wandb.examples.githuburl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pins the wire format, which is what an agent attached to the app sees and records. */
class OfflineDemoEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static OfflineDemoEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        endpoint = OfflineDemoEndpoint.start();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    @Test
    void answersInOpenAiChatCompletionShape() throws Exception {
        HttpResponse<String> response = post("/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"Answer with a URL.\"},"
                + "{\"role\":\"user\",\"content\":\"find me a C++ JSON library\"}]}");

        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(JSON.readTree("{"
                + "\"id\":\"chatcmpl-" + idOf("find me a C++ JSON library") + "\","
                + "\"object\":\"chat.completion\",\"created\":1735689600,\"model\":\"gpt-4o-mini-2024-07-18\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"https://github.com/search?q=c%2B%2B+json&type=repositories\","
                + "\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":13,\"total_tokens\":26,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
                + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0ff1ine0de\"}"),
                JSON.readTree(response.body()));
    }

    @Test
    void failsWithOpenAiErrorShapeOnFailWord() throws Exception {
        HttpResponse<String> response = post("/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"fail-demo\"}]}");

        assertEquals(500, response.statusCode());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertEquals("server_error", error.path("type").asText());
        assertEquals(true, error.path("param").isNull());
        assertEquals(true, error.path("code").isNull());
    }

    @Test
    void rejectsUnknownPaths() throws Exception {
        HttpResponse<String> response = post("/embeddings", "{}");

        assertEquals(404, response.statusCode());
        assertEquals("invalid_request_error", JSON.readTree(response.body()).path("error").path("type").asText());
    }

    private static String idOf(String question) {
        return UUID.nameUUIDFromBytes(question.getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
