package ai.wandb.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.wandb.agent.api.Span;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WeaveIdsTest {
  @Test
  void callAndTraceIdsAreLowercaseUuidV7DerivedFromTheSpans() {
    Span root = Tracer.start("root", SpanKind.AGENT, null, null);
    Span child = Tracer.start("child", SpanKind.LLM, null, null);
    Tracer.end(child, null, null);
    Tracer.end(root, null, null);

    String callId = WeaveIds.callId(child);
    UUID uuid = UUID.fromString(callId);
    assertEquals(7, uuid.version());
    assertEquals(2, uuid.variant());
    assertEquals(callId.toLowerCase(), callId);
    assertEquals(child.startEpochNanos() / 1_000_000, uuid.getMostSignificantBits() >>> 16);
    assertEquals(callId, WeaveIds.callId(child));
    assertNotEquals(callId, WeaveIds.callId(root));
    assertEquals(WeaveIds.callId(root), WeaveIds.parentCallId(child));
    assertNull(WeaveIds.parentCallId(root));
    assertEquals(WeaveIds.traceId(root), WeaveIds.traceId(child));
    assertEquals(7, UUID.fromString(WeaveIds.traceId(root)).version());
    assertTrue(WeaveIds.traceId(root).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
  }

  @Test
  void timestampsAreUtcWithMicroseconds() {
    assertEquals("2025-06-01T12:00:00.123456Z", WeaveCalls.timestamp(1748779200123456789L));
  }
}
