package ai.wandb.agent.bench;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.core.RequestOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * An OpenAI "endpoint" without I/O: the SDK serializes the request as it would for the wire, and gets
 * the canned completion back at once, so a traced call costs microseconds and the agent's share shows.
 */
final class InMemoryOpenAiHttpClient implements HttpClient {
    private static final Headers JSON = Headers.builder().put("content-type", "application/json").build();

    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions options) {
        HttpRequestBody body = request.body();
        if (body != null) {
            body.writeTo(OutputStream.nullOutputStream());
        }
        return new Response();
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions options) {
        return CompletableFuture.completedFuture(execute(request, options));
    }

    @Override
    public void close() {}

    private static final class Response implements HttpResponse {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Headers headers() {
            return JSON;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(CannedChat.RESPONSE);
        }

        @Override
        public void close() {}
    }
}
