package ai.wandb.agent.instrumentation.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Type matchers shared by this module's instrumentations. */
final class LangChain4jMatchers {
  private LangChain4jMatchers() {}

  /**
   * The interface itself (its default methods serve every implementation that does not override them,
   * the application's own included) and LangChain4j's implementations of it (providers that override
   * the hooked methods). Cost: the super-type walk (which reads the class files of the hierarchy) runs
   * only for classes named like implementations of the interface ({@code ...OpenAiChatModel} for
   * {@code ChatModel}) in the packages that hold them, {@code dev.langchain4j.<area>.} and
   * {@code dev.langchain4j.community.<area>.}, and only on class loaders that passed the module's gate,
   * i.e. that have LangChain4j at all; every other class is decided by its name.
   */
  static ElementMatcher<TypeDescription> interfaceAndLangChain4jImplementations(String interfaceName, String area) {
    String simpleName = interfaceName.substring(interfaceName.lastIndexOf('.') + 1);
    return named(interfaceName).or(
        nameStartsWith("dev.langchain4j." + area + ".").or(nameStartsWith("dev.langchain4j.community." + area + "."))
            .and(nameEndsWith(simpleName))
            .and(not(isInterface()))
            .and(hasSuperType(named(interfaceName))));
  }
}
