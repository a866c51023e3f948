package ai.wandb.agent.api.instrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which classes a {@link TypeInstrumentation} weaves, decided from the class name alone for every class
 * the JVM loads (a set look-up and the prefix tests of its rules, no parsing). Only a name that fits a rule which
 * also asks for a super type costs more: the class and its super types are read from the class files
 * (see {@link TypeHierarchy}), and that happens only on loaders that passed the module's gate.
 */
public final class TypeMatcher {
  /**
   * A name rule: a prefix, an optional suffix, an optional super type a class must have, and optional
   * texts one of which its class file must contain.
   */
  static final class Rule {
    final String prefix;
    final String suffix;
    final String superType;
    final byte[][] classFileTexts;

    Rule(String prefix, String suffix, String superType) {
      this(prefix, suffix, superType, null);
    }

    Rule(String prefix, String suffix, String superType, byte[][] classFileTexts) {
      this.prefix = prefix;
      this.suffix = suffix;
      this.superType = superType;
      this.classFileTexts = classFileTexts;
    }

    boolean fitsName(String internalName) {
      return internalName.startsWith(prefix) && (suffix == null || internalName.endsWith(suffix));
    }

    boolean fitsClassFile(byte[] classFile) {
      if (classFileTexts == null) {
        return true;
      }
      for (byte[] text : classFileTexts) {
        if (ClassFileText.contains(classFile, text)) {
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
   * The interface itself, and the classes (not interfaces) in the given packages (and their
   * sub-packages) that are named like an implementation of it ({@code ...OpenAiChatModel} for
   * {@code ChatModel}) and do implement it.
   */
  public static TypeMatcher interfaceAndImplementations(String interfaceName, String... packages) {
    String simpleName = interfaceName.substring(interfaceName.lastIndexOf('.') + 1);
    List<Rule> rules = new ArrayList<Rule>();
    for (String pkg : packages) {
      rules.add(new Rule(internal(pkg) + "/", simpleName, internal(interfaceName)));
    }
    return new TypeMatcher(new HashSet<String>(Arrays.asList(internal(interfaceName))), rules);
  }

  /**
   * Every class whose class file contains one of these texts, e.g. an annotation's descriptor
   * {@code Lio/opentelemetry/instrumentation/annotations/WithSpan;}: a byte search of the file the
   * transformer already has, on loaders that passed the module's gate, before anything is parsed.
   */
  public static TypeMatcher classFileContaining(String... texts) {
    byte[][] bytes = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      bytes[i] = texts[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    return new TypeMatcher(Collections.<String>emptySet(),
        Collections.singletonList(new Rule("", null, null, bytes)));
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
