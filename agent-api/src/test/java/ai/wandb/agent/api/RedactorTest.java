package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor builtIn = Redactor.BUILT_IN_ONLY;

  @Test
  void openAiKeysAreRedactedWhereverTheyStand() {
    assertEquals("key <redacted> here", builtIn.redact("key sk-proj-Ab12Cd34Ef56Gh78Ij90Kl here"));
    assertEquals("sk-short stays", builtIn.redact("sk-short stays"));
  }

  @Test
  void wandbFortyHexKeysAreRedactedNextToAKeyName() {
    String key = "0123456789abcdef0123456789abcdef01234567";
    assertEquals("api_key: <redacted>", builtIn.redact("api_key: " + key));
    assertEquals("{\"WANDB_API_KEY\": \"<redacted>\"}", builtIn.redact("{\"WANDB_API_KEY\": \"" + key + "\"}"));
    assertEquals("commit " + key, builtIn.redact("commit " + key), "a bare hash is not a key");
  }

  @Test
  void bearerTokensAndAuthorizationValuesAreRedactedButTheirNamesStay() {
    assertEquals("Authorization: <redacted>", builtIn.redact("Authorization: Bearer abc.def-123_456"));
    assertEquals("authorization=<redacted>", builtIn.redact("authorization=Basic dXNlcjpwYXNz"));
    assertEquals("sent Bearer <redacted> twice", builtIn.redact("sent Bearer eyJhbGciOiJIUzI1NiJ9 twice"));
  }

  @Test
  void literalSecretsAndUserPatternsAreRedactedAfterTheBuiltIns() {
    Redactor redactor = Redactor.of(List.of(Pattern.compile("acct-\\d+")), List.of("hunter2-literal"));
    assertEquals("<redacted> and <redacted>", redactor.redact("hunter2-literal and acct-991"));
  }

  @Test
  void keyNamesInAnyCaseAreFoundInsideLongText() {
    String filler = "The quick brown fox jumps over the lazy dog. ".repeat(100);
    assertEquals(filler + "PASSWORD=<redacted> " + filler,
        builtIn.redact(filler + "PASSWORD=hunter2hunter2 " + filler));
    assertEquals("X-Api-Key: <redacted>", builtIn.redact("X-Api-Key: abcdefgh12345"));
    assertEquals("Access-Token=<redacted>", builtIn.redact("Access-Token=abcdefgh12345"));
    assertEquals("AUTHORIZATION: <redacted>; BEARER <redacted>",
        builtIn.redact("AUTHORIZATION: Basic dXNlcjpwYXNz; BEARER abcdefgh12345"));
    assertEquals(filler, builtIn.redact(filler), "text without any key word is returned as it is");
  }

  @Test
  void literalSecretsInMixedCaseOrBeyondAsciiAreFound() {
    Redactor redactor = Redactor.of(List.of(), List.of("Hunter2-LITERAL", "p\u00e4ssw\u00f6rt-literal"));
    assertEquals("use <redacted> now", redactor.redact("use Hunter2-LITERAL now"));
    assertEquals("and <redacted>", redactor.redact("and p\u00e4ssw\u00f6rt-literal"));
    assertEquals("hunter2-literal", redactor.redact("hunter2-literal"), "a literal secret is matched as it is");
  }

  @Test
  void wordsAtTheEndOfTextOrCutShortAreHandled() {
    assertEquals("token sk-", builtIn.redact("token sk-"));
    assertEquals("passw", builtIn.redact("passw"));
    assertEquals("key=<redacted>", builtIn.redact("key=sk-" + "A".repeat(20)));
  }

  @Test
  void secretKeysAreThoseWhoseLowerCaseIsOne() {
    assertTrue(Redactor.isSecretKey("X-API-KEY"));
    assertTrue(Redactor.isSecretKey("Set-Cookie"));
    assertTrue(Redactor.isSecretKey("API_\u212AEY"), "the Kelvin sign lower-cases to k");
    assertFalse(Redactor.isSecretKey("ap\u0131_key"), "a dotless i does not lower-case to i");
    assertFalse(Redactor.isSecretKey("api_keys"));
    assertFalse(Redactor.isSecretKey("content"));
    assertFalse(Redactor.isSecretKey(42));
  }
}
