package ai.wandb.agent.export.wandb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WandbUrlsTest {
  @Test
  void theAppUrlFollowsTheReference() {
    assertEquals("https://wandb.ai", WandbUrls.appUrl("https://api.wandb.ai/"));
    assertEquals("https://app.acme.io", WandbUrls.appUrl("https://api.acme.io"));
    assertEquals("http://localhost:8080", WandbUrls.appUrl("http://localhost:8080"));
  }

  @Test
  void thePublicBaseUrlSetsTheAppUrl() {
    assertEquals("https://wandb.acme.io", WandbUrls.appUrl("https://api.acme.io", "https://wandb.acme.io/"));
    assertEquals("https://app.acme.io", WandbUrls.appUrl("https://api.acme.io", null));
  }

  @Test
  void theTraceServerIsTraceWandbAiForTheCloudAndTheFrontendSlashTracesElsewhere() {
    assertEquals("https://trace.wandb.ai", WandbUrls.traceServerUrl("https://trace.wandb.ai", "https://api.wandb.ai", null));
    assertEquals("https://acme.wandb.io/traces",
        WandbUrls.traceServerUrl("https://trace.wandb.ai", "https://acme.wandb.io", null));
    // Weave's env.py: the API host without api., as for https://api.acme.wandb.io.
    assertEquals("https://acme.wandb.io/traces",
        WandbUrls.traceServerUrl("https://trace.wandb.ai", "https://api.acme.wandb.io", null));
    assertEquals("https://acme.io/traces", WandbUrls.traceServerUrl(null, "https://api.acme.io/", null));
    assertEquals("https://wandb.acme.io/traces",
        WandbUrls.traceServerUrl(null, "https://api.acme.io", "https://wandb.acme.io"));
    assertEquals("http://127.0.0.1:9/t", WandbUrls.traceServerUrl("http://127.0.0.1:9/t/", "https://api.wandb.ai", null));
    assertEquals("http://127.0.0.1:9/t",
        WandbUrls.traceServerUrl("http://127.0.0.1:9/t", "https://api.acme.io", "https://wandb.acme.io"));
  }

  @Test
  void runAndWeaveLinksQuoteEachSegment() {
    assertEquals("https://wandb.ai/my%20team/proj/runs/ab12cd34", WandbUrls.runUrl("https://wandb.ai", "my team", "proj", "ab12cd34"));
    assertEquals("https://wandb.ai/acme/proj/weave/traces", WandbUrls.weaveTracesUrl("https://wandb.ai", "acme", "proj"));
    assertEquals("https://api.wandb.ai/files/acme/proj/ab12cd34/file_stream",
        WandbUrls.fileStreamUrl("https://api.wandb.ai", "acme", "proj", "ab12cd34"));
  }

  @Test
  void plainHttpIsInsecureOffLoopbackOnly() {
    assertFalse(WandbUrls.insecureOffLoopback("https://api.wandb.ai"));
    assertFalse(WandbUrls.insecureOffLoopback("http://127.0.0.1:8080"));
    assertFalse(WandbUrls.insecureOffLoopback("http://127.1.2.3"));
    assertFalse(WandbUrls.insecureOffLoopback("HTTP://LOCALHOST:80/x"));
    assertFalse(WandbUrls.insecureOffLoopback("http://[::1]:8080"));
    assertTrue(WandbUrls.insecureOffLoopback("http://10.0.0.5:8080"));
    assertTrue(WandbUrls.insecureOffLoopback("http://wandb.example.com"));
    assertTrue(WandbUrls.insecureOffLoopback("http://127.0.0.1.evil.com"));
    assertTrue(WandbUrls.insecureOffLoopback("http://localhost.evil.com:80"));
  }

  @Test
  void upsertModelGetsTheProjectNameAsTheSdksFormatProject() {
    assertEquals("my-project-2", GraphqlClient.formatProject("My Project 2"));
    assertEquals("a-b_c", GraphqlClient.formatProject("A..b_c"));
    assertEquals("smoke", GraphqlClient.formatProject("smoke"));
  }
}
