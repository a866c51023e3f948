package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class TypeMatchingTest {
  interface ChatModel {}

  abstract static class BaseChatModel implements ChatModel {}

  static class DeepChatModel extends BaseChatModel {}

  interface ExtendedChatModel extends ChatModel {}

  static class UnrelatedChatModel {}

  private static final String CHAT_MODEL = ChatModel.class.getName();

  @Test
  void exactNamesAreMatchedByName() {
    TypeMatcher matcher = TypeMatcher.named("a.b.Outer$Inner");

    assertSame(TypeMatcher.EXACT, matcher.candidate("a/b/Outer$Inner"));
    assertNull(matcher.candidate("a/b/Outer"));
  }

  @Test
  void prefixesTakeEveryClassUnderThem() {
    TypeMatcher matcher = TypeMatcher.nameStartsWith("a.b.Services$");

    assertNull(matcher.candidate("a/b/Services"));
    TypeMatcher.Rule rule = matcher.candidate("a/b/Services$1");
    assertNotNull(rule);
    assertNull(rule.superType);
  }

  @Test
  void implementationsMustSitInThePackagesAndBeNamedLikeTheInterface() {
    TypeMatcher matcher = TypeMatcher.interfaceAndImplementations("x.model.chat.ChatModel", "x.model", "y.model");

    assertSame(TypeMatcher.EXACT, matcher.candidate("x/model/chat/ChatModel"));
    assertEquals("x/model/chat/ChatModel", matcher.candidate("y/model/openai/OpenAiChatModel").superType);
    assertNull(matcher.candidate("y/model/openai/OpenAiEmbeddingModel"));
    assertNull(matcher.candidate("z/model/openai/OpenAiChatModel"));
    assertNull(matcher.candidate("x/modelling/OpenAiChatModel"));
  }

  @Test
  void superTypesAreFoundThroughSuperClassesInTheClassFiles() throws IOException {
    ClassLoader loader = getClass().getClassLoader();
    String chatModel = TypeMatcher.internal(CHAT_MODEL);

    assertTrue(TypeHierarchy.isImplementation(loader, bytes(DeepChatModel.class), chatModel));
    assertTrue(TypeHierarchy.isImplementation(loader, bytes(BaseChatModel.class), chatModel));
    assertFalse(TypeHierarchy.isImplementation(loader, bytes(ExtendedChatModel.class), chatModel));
    assertFalse(TypeHierarchy.isImplementation(loader, bytes(UnrelatedChatModel.class), chatModel));
  }

  @Test
  void aSuperClassTheLoaderCannotFindCountsAsNotMatching() throws IOException {
    ClassLoader empty = new ClassLoader(null) {};

    assertFalse(TypeHierarchy.isImplementation(empty, bytes(DeepChatModel.class), TypeMatcher.internal(CHAT_MODEL)));
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
