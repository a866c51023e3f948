package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodMatcherTest {
  private static final int PRIVATE = 0x0002;

  @Test
  void aPrefixTakesEveryNumberJavacGaveALambdaOfTheMethodAndTheArgumentsTellWhichLambda() {
    MethodMatcher matcher = MethodMatcher.namedStartingWith("lambda$toolsCall$").takesArguments(2)
        .takesArgument(1, "java.lang.Object");
    assertTrue(matcher.matches(PRIVATE, "lambda$toolsCall$18", new String[] {"a.Exchange", "java.lang.Object"}));
    assertTrue(matcher.matches(PRIVATE, "lambda$toolsCall$23", new String[] {"a.Exchange", "java.lang.Object"}));
    assertFalse(matcher.matches(PRIVATE, "lambda$toolsCall$22", new String[] {"a.Request", "a.Spec"}));
    assertFalse(matcher.matches(PRIVATE, "lambda$toolsList$21", new String[] {"a.Exchange", "java.lang.Object"}));
  }

  @Test
  void exactNamesStayExact() {
    assertTrue(MethodMatcher.named("call").matches(0, "call", new String[0]));
    assertFalse(MethodMatcher.named("call").matches(0, "callTool", new String[0]));
  }
}
