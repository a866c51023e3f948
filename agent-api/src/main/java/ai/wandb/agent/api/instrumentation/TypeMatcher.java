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
  /** A name rule: a prefix, an optional suffix, and an optional super type a class must have. */
  static final class Rule {
    final String prefix;
    final String suffix;
    final String superType;

    Rule(String prefix, String suffix, String superType) {
      this.prefix = prefix;
      this.suffix = suffix;
      this.superType = superType;
    }

    boolean fitsName(String internalName) {
      return internalName.startsWith(prefix) && (suffix == null || internalName.endsWith(suffix));
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
   * implements it: directly, through a super class or through a sub-interface. The name cannot rule a
   * class out, so this costs a read of each class's header on loaders that passed the module's gate
   * (see {@link TypeHierarchy}).
   */
  public static TypeMatcher implementationsOf(String interfaceName) {
    return new TypeMatcher(new HashSet<String>(Arrays.asList(internal(interfaceName))),
        Collections.singletonList(new Rule("", null, internal(interfaceName))));
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

  static final Rule EXACT = new Rule("", null, null);

  static String internal(String binaryName) {
    return binaryName.replace('.', '/');
  }
}
