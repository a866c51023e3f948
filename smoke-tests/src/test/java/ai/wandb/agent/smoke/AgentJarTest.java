package ai.wandb.agent.smoke;

import static ai.wandb.agent.smoke.JavaProcess.AGENT_JAR;
import static ai.wandb.agent.smoke.JavaProcess.java;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The built jar itself: what the JVM reads from it, what it must not expose, and how big it is. */
class AgentJarTest {
  /**
   * The smallest cap reached with relocation and minimizing, plus a little room. It was 4.9 MB while the
   * agent carried Byte Buddy (4.69 MB, nearly all of it Byte Buddy); since the agent weaves with plain
   * ASM the jar was about 1.0 MB. The otlp exporter's protobuf-java runtime and OTLP classes took it to 2.67 MB until
   * the exporter wrote the protobuf wire format itself (ProtoWriter, a few KB). DESIGN §8's budget is 5 MB
   * (goal 2 MB); raise this
   * only with a reason in the commit that does.
   */
  private static final long SIZE_CAP_BYTES = 1_700_000;

  private static final List<String> THIRD_PARTY_ROOTS =
      List.of("okhttp3/", "okio/", "kotlin/", "com/fasterxml/", "net/bytebuddy/", "org/objectweb/", "org/jetbrains/",
          "org/intellij/");

  @Test
  void theManifestMakesItAnAgentAndAnExecutableJar() throws Exception {
    try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("ai.wandb.agent.WandbAgent", main.getValue("Premain-Class"));
      assertEquals("ai.wandb.agent.WandbAgent", main.getValue("Agent-Class"));
      assertEquals("ai.wandb.agent.WandbAgent", main.getValue("Main-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertNotNull(main.getValue("Implementation-Version"));
    }
  }

  @Test
  void noThirdPartyClassIsLeftAtItsOriginalPackageName() throws Exception {
    try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
      List<String> leaked = jar.stream().map(entry -> entry.getName())
          .filter(name -> THIRD_PARTY_ROOTS.stream().anyMatch(name::startsWith))
          .collect(Collectors.toList());
      assertEquals(List.of(), leaked);
      List<String> outside = jar.stream().map(entry -> entry.getName())
          .filter(name -> name.endsWith(".class"))
          .filter(name -> !name.startsWith("ai/wandb/agent/"))
          .collect(Collectors.toList());
      assertEquals(List.of(), outside);
    }
  }

  /**
   * The SDK objects' reader matches the SDK's own (unrelocated) Jackson annotations by name; relocation
   * rewrites a string constant naming {@code com.fasterxml.jackson}, after which every object fell back
   * to the SDK's mapper (same output, the cost this reader removes), which no other test would see.
   */
  @Test
  void theSdkObjectReaderStillNamesTheSdksOwnJacksonAnnotations() throws Exception {
    try (JarFile jar = new JarFile(AGENT_JAR.toFile())) {
      byte[] bytes = jar.getInputStream(jar.getEntry("ai/wandb/agent/api/stainless/StainlessTree.class")).readAllBytes();
      String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
      org.junit.jupiter.api.Assertions.assertTrue(text.contains("com.fasterxml"), "the name is built at run time");
      org.junit.jupiter.api.Assertions.assertFalse(text.contains("shaded.com.fasterxml"), "relocated: " + text);
    }
  }

  @Test
  void theJarStaysUnderItsSizeCap() throws Exception {
    long size = Files.size(AGENT_JAR);
    assertTrue(size <= SIZE_CAP_BYTES, "wandb-agent.jar is " + size + " bytes, cap " + SIZE_CAP_BYTES);
  }

  @Test
  void runningTheJarPrintsTheVersionAndUsage() throws Exception {
    JavaProcess.Result help = java().runJar(AGENT_JAR);
    assertEquals(0, help.exitCode(), help.stderr());
    assertTrue(help.stdout().contains("-javaagent:wandb-agent.jar"), help.stdout());

    JavaProcess.Result version = java().runJar(AGENT_JAR, "--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.stdout().matches("wandb-agent \\d+\\.\\d+\\.\\d+.*\\R"), version.stdout());
  }
}
