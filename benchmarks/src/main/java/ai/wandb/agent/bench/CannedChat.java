package ai.wandb.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The recorded OpenAI chat completion every benchmark endpoint answers with (OpenAI's real JSON shape). */
final class CannedChat {
    static final String MODEL = "gpt-4o-mini";
    static final String QUESTION = "find java libraries for parsing yaml";
    static final byte[] RESPONSE = load("/bench/chat-completion.json");

    private CannedChat() {}

    private static byte[] load(String resource) {
        try (InputStream in = CannedChat.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
