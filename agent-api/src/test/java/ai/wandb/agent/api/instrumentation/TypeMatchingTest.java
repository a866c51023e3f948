package ai.wandb.agent.api.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypeMatchingTest {
  interface ChatModel {}

  abstract static class BaseChatModel implements ChatModel {}

  static class DeepChatModel extends BaseChatModel {}

  interface ExtendedChatModel extends ChatModel {}

  static class UnrelatedChatModel {}

  static final class ViaSubInterface implements ExtendedChatModel {}

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
  void anInterfaceRuleTakesTheInterfaceByNameAndAsksForItAsSuperTypeOfAnyOtherName() {
    TypeMatcher matcher = TypeMatcher.implementationsOf("x.model.chat.ChatModel", "x.");

    assertSame(TypeMatcher.EXACT, matcher.candidate("x/model/chat/ChatModel"));
    assertEquals("x/model/chat/ChatModel", matcher.candidate("com/acme/Anything").superType);
  }

  @Test
  void superTypesAreFoundThroughSuperClassesAndSubInterfacesInTheClassFiles() throws IOException {
    ClassLoader loader = getClass().getClassLoader();
    TypeHierarchy hierarchy = new TypeHierarchy();
    int chatModel = hierarchy.watch(TypeMatcher.internal(CHAT_MODEL));

    assertEquals(chatModel, hierarchy.superTypes(loader, name(DeepChatModel.class), bytes(DeepChatModel.class)));
    assertEquals(chatModel, hierarchy.superTypes(loader, name(BaseChatModel.class), bytes(BaseChatModel.class)));
    assertEquals(chatModel | TypeHierarchy.INTERFACE,
        hierarchy.superTypes(loader, name(ExtendedChatModel.class), bytes(ExtendedChatModel.class)));
    assertEquals(chatModel, hierarchy.superTypes(loader, name(ViaSubInterface.class), bytes(ViaSubInterface.class)));
    assertEquals(0, hierarchy.superTypes(loader, name(UnrelatedChatModel.class), bytes(UnrelatedChatModel.class)));
  }

  @Test
  void whatASuperTypeHasIsRememberedSoItsClassFileIsReadOnce() throws IOException {
    TypeHierarchy hierarchy = new TypeHierarchy();
    int chatModel = hierarchy.watch(TypeMatcher.internal(CHAT_MODEL));
    List<String> reads = new ArrayList<>();
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public InputStream getResourceAsStream(String name) {
        reads.add(name);
        return super.getResourceAsStream(name);
      }
    };

    // The JVM hands a class over before its super types: DeepChatModel first, then BaseChatModel.
    assertEquals(chatModel, hierarchy.superTypes(loader, name(DeepChatModel.class), bytes(DeepChatModel.class)));
    assertEquals(chatModel, hierarchy.superTypes(loader, name(BaseChatModel.class), bytes(BaseChatModel.class)));
    assertEquals(chatModel, hierarchy.superTypes(loader, name(DeepChatModel.class), bytes(DeepChatModel.class)));

    assertEquals(List.of(name(BaseChatModel.class) + ".class", name(ChatModel.class) + ".class"), reads);
  }

  @Test
  void loadedClassesAreAnsweredFromTheirClassObjects() {
    TypeHierarchy hierarchy = new TypeHierarchy();
    int chatModel = hierarchy.watch(TypeMatcher.internal(CHAT_MODEL));

    assertEquals(chatModel, hierarchy.superTypes(DeepChatModel.class));
    assertEquals(chatModel, hierarchy.superTypes(ViaSubInterface.class));
    assertEquals(0, hierarchy.superTypes(UnrelatedChatModel.class));
  }

  @Test
  void aSuperClassTheLoaderCannotFindCountsAsNotMatching() throws IOException {
    ClassLoader empty = new ClassLoader(null) {};
    TypeHierarchy hierarchy = new TypeHierarchy();
    hierarchy.watch(TypeMatcher.internal(CHAT_MODEL));

    assertEquals(0, hierarchy.superTypes(empty, name(DeepChatModel.class), bytes(DeepChatModel.class)));
  }

  @Test
  void theHeaderGivesAccessSuperClassAndInterfacesAsTheJvmSeesThem() throws IOException {
    for (Class<?> type : List.of(DeepChatModel.class, ViaSubInterface.class, ExtendedChatModel.class, String.class,
        java.util.concurrent.ConcurrentHashMap.class, TypeMatchingTest.class, Ünïcödé.class)) {
      TypeHierarchy.Header header = new TypeHierarchy.Header(bytes(type));
      // An interface's class file names Object as its super class; Class.getSuperclass() says null.
      assertEquals(type.isInterface() ? "java/lang/Object" : name(type.getSuperclass()), header.superName, type.getName());
      assertEquals(java.util.Arrays.stream(type.getInterfaces()).map(TypeMatchingTest::name).toList(),
          List.of(header.interfaces), type.getName());
      assertEquals(type.isInterface(), (header.access & 0x0200) != 0, type.getName());
    }
  }

  static class Ünïcödé extends BaseChatModel implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final double d = 1.5;
    final long l = 7L;
  }

  @Test
  void aMentionIsFoundAnywhereInTheBytesOrInTheName() {
    TypeHierarchy.Mention mention = new TypeHierarchy.Mention("dev/langchain4j/");
    byte[] bytes = "....Ldev/langchain4j/rag/query/Query;...".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    assertTrue(mention.isIn("com/acme/A", bytes));
    assertTrue(mention.isIn("com/acme/A", "dev/langchain4j/".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertTrue(mention.isIn("dev/langchain4j/X", new byte[0]));
    assertFalse(mention.isIn("com/acme/A",
        "dev/langchain4/ dev/langchain4j dev//langchain4j/".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
  }

  private static String name(Class<?> type) {
    return TypeMatcher.internal(type.getName());
  }

  private static byte[] bytes(Class<?> type) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(name(type) + ".class")) {
      return in.readAllBytes();
    }
  }
}
