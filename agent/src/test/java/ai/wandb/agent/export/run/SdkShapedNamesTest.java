package ai.wandb.agent.export.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names as the wandb SDK writes them, from Java's. */
class SdkShapedNamesTest {
  @Test
  void thePlatformIsPythonsSystemDashMachineInLowerCase() {
    assertEquals("linux-x86_64", RunConfig.platform("Linux", "amd64"));
    assertEquals("linux-aarch64", RunConfig.platform("Linux", "aarch64"));
    assertEquals("darwin-arm64", RunConfig.platform("Mac OS X", "aarch64"));
    assertEquals("darwin-x86_64", RunConfig.platform("Mac OS X", "x86_64"));
    assertEquals("windows-amd64", RunConfig.platform("Windows 11", "amd64"));
  }

  @Test
  void fileStreamsStoppedAnswerIsTheStopButton() {
    assertTrue(FileStream.answersStopped("{\"exitcode\":null,\"limits\":{},\"stopped\":true}"));
    assertFalse(FileStream.answersStopped("{\"stopped\":false}"));
    assertFalse(FileStream.answersStopped("{}"));
    assertFalse(FileStream.answersStopped("not json, stopped"));
  }
}
