package ai.wandb.agent.api.stainless;

/**
 * The runtime classes of one Stainless-generated Java SDK (openai-java, anthropic-java), which share one
 * layout under their own root package: {@code core.http.HttpResponseForKt$parseable$1} for raw responses,
 * {@code core.handlers.CloseableSequence} under every stream, {@code core.ObjectMappers} for the wire JSON,
 * {@code client.okhttp.OkHttpClient} for the HTTP client. Only the root package differs.
 */
public final class StainlessSdk {
  final String root;

  private StainlessSdk(String root) {
    this.root = root;
  }

  /** The SDK whose classes live under {@code root}, e.g. {@code com.anthropic}. */
  public static StainlessSdk rootedAt(String root) {
    return new StainlessSdk(root);
  }

  String name(String relative) {
    return root + "." + relative;
  }

  /** The class of the {@code HttpResponseFor} every raw-response method returns. */
  String httpResponseFor() {
    return name("core.http.HttpResponseForKt$parseable$1");
  }

  /** The stream responses parse() returns: the mapping one (JSON, validation) and the closing one under it. */
  String[] streamResponses() {
    return new String[] {name("core.http.StreamResponseKt$map$1"), name("core.http.PhantomReachableClosingStreamResponse")};
  }

  boolean isStreamResponse(String className) {
    for (String name : streamResponses()) {
      if (name.equals(className)) {
        return true;
      }
    }
    return false;
  }

  String sequence() {
    return name("core.handlers.CloseableSequence");
  }

  String sequenceIterator() {
    return name("core.handlers.CloseableSequence$iterator$1");
  }

  /** The SSE decoder of a stream's lines, one per stream, which returns each message once complete. */
  String sseState() {
    return name("core.handlers.SseState");
  }

  /**
   * Where the async stream's loop over the chunks is compiled: a class of its own from older Kotlin
   * compilers, a static method of the async response from newer ones (anthropic-java 3.x).
   */
  String asyncStreamLoopClass() {
    return name("core.http.AsyncStreamResponseKt$toAsync$1$subscribe$1$2");
  }

  String asyncStreamResponse() {
    return name("core.http.AsyncStreamResponseKt$toAsync$1");
  }

  String streamResponse() {
    return name("core.http.StreamResponse");
  }

  /** The HTTP client layer that completes async calls on the SDK's completion executor (anthropic-java 3.x). */
  String completionExecutorClient() {
    return name("core.http.CompletionExecutorHttpClient");
  }

  /** The okhttp3.Callback of {@code OkHttpClient.executeAsync}, numbered differently across versions. */
  String[] okHttpCallbacks() {
    return new String[] {name("client.okhttp.OkHttpClient$executeAsync$1"),
        name("client.okhttp.OkHttpClient$executeAsync$2"), name("client.okhttp.OkHttpClient$executeAsync$3")};
  }

  /** The SDK's {@code ObjectMappers}, whose {@code jsonMapper()} writes its objects as wire JSON. */
  String objectMappers() {
    return name("core.ObjectMappers");
  }
}
