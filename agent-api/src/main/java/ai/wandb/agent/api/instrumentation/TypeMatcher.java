package ai.wandb.agent.api.instrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which classes a {@link TypeInstrumentation} weaves, decided from the class name for every class the JVM
 * loads (a set look-up and the prefix tests of its rules, no parsing). Only a rule which also asks for a
 * super type costs more: the class's header and what is known of its super types decide (see
 * {@link TypeHierarchy}), and that happens only on loaders that passed the module's gate.
 */
public final class TypeMatcher {
  /**
   * A name rule: a prefix, and optionally a super type a class must have and a text its class file must
   * contain (a package name in internal form) for the super type to be looked at, or texts one of which
   * its class file must contain (an annotation's descriptor) for the class to be taken at all.
   */
  static final class Rule {
    final String prefix;
    final String superType;
    final TypeHierarchy.Mention mention;
    final TypeHierarchy.Mention[] anyOf;

    Rule(String prefix, String superType, TypeHierarchy.Mention mention) {
      this(prefix, superType, mention, null);
    }

    Rule(String prefix, String superType, TypeHierarchy.Mention mention, TypeHierarchy.Mention[] anyOf) {
      this.prefix = prefix;
      this.superType = superType;
      this.mention = mention;
      this.anyOf = anyOf;
    }

    boolean fitsName(String internalName) {
      return internalName.startsWith(prefix);
    }

    boolean fitsClassFile(String internalName, byte[] classFile) {
      if (anyOf == null) {
        return true;
      }
      for (TypeHierarchy.Mention text : anyOf) {
        if (text.isIn(internalName, classFile)) {
          return true;
        }
      }
      return false;
    }
  }

  private final Set<String> names;
  private final List<Rule> rules;

  private TypeMatcher(Set<String> names, List<Rule> rules) {
    this.names = names;
    this.rules = rules;
  }

  /** Exactly these classes (binary names, e.g. {@code a.b.Outer$Inner}). */
  public static TypeMatcher named(String... binaryNames) {
    Set<String> names = new HashSet<String>();
    for (String name : binaryNames) {
      names.add(internal(name));
    }
    return new TypeMatcher(names, Collections.<Rule>emptyList());
  }

  /** Every class whose binary name starts with {@code prefix}. */
  public static TypeMatcher nameStartsWith(String prefix) {
    return new TypeMatcher(Collections.<String>emptySet(),
        Collections.singletonList(new Rule(internal(prefix), null, null)));
  }

  /**
   * The interface itself (for its default methods), and every class (not interface) in any package that
   * implements it: directly, through a super class or through a sub-interface. Every method the advice
   * hooks must take or return a type of {@code libraryPackage} (e.g. {@code dev.langchain4j.}): a class
   * whose class file never names that package declares no such method, so it is passed over after one
   * scan of its bytes, and only the others have their header read (see {@link TypeHierarchy}). All of it
   * happens only on loaders that passed the module's gate.
   */
  public static TypeMatcher implementationsOf(String interfaceName, String libraryPackage) {
    Rule rule = new Rule("", internal(interfaceName), new TypeHierarchy.Mention(internal(libraryPackage)));
    return new TypeMatcher(new HashSet<String>(Arrays.asList(internal(interfaceName))),
        Collections.singletonList(rule));
  }

  /**
   * Every class whose class file contains one of these texts, e.g. an annotation's descriptor
   * {@code Lio/opentelemetry/instrumentation/annotations/WithSpan;}: a byte search of the file the
   * transformer already has, on loaders that passed the module's gate, before anything is parsed.
   */
  public static TypeMatcher classFileContaining(String... texts) {
    TypeHierarchy.Mention[] mentions = new TypeHierarchy.Mention[texts.length];
    for (int i = 0; i < texts.length; i++) {
      mentions[i] = new TypeHierarchy.Mention(texts[i]);
    }
    return new TypeMatcher(Collections.<String>emptySet(),
        Collections.singletonList(new Rule("", null, null, mentions)));
  }

  /** The super types its rules ask for (internal names). */
  List<String> superTypes() {
    List<String> types = new ArrayList<String>();
    for (Rule rule : rules) {
      if (rule.superType != null && !types.contains(rule.superType)) {
        types.add(rule.superType);
      }
    }
    return types;
  }

  /** Null when the name alone rules the class out; otherwise the rule that may take it (an exact name gives {@link #EXACT}). */
  Rule candidate(String internalName) {
    if (names.contains(internalName)) {
      return EXACT;
    }
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).fitsName(internalName)) {
        return rules.get(i);
      }
    }
    return null;
  }

  /** Whether one of its rules fits every name (a super type's implementations, an annotation's carriers). */
  boolean hasRuleForAnyName() {
    for (Rule rule : rules) {
      if (rule.prefix.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Whether it takes only the classes it names exactly, so that a name look-up finds every class it may take. */
  boolean namesOnly() {
    return rules.isEmpty();
  }

  /** The internal names given to {@link #named}. */
  Set<String> exactNames() {
    return names;
  }

  static final Rule EXACT = new Rule("", null, null);

  static String internal(String binaryName) {
    return binaryName.replace('.', '/');
  }
}
