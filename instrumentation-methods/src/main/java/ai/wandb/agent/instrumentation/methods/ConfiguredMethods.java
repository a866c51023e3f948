package ai.wandb.agent.instrumentation.methods;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.instrumentation.ClassFileInstrumentation;
import ai.wandb.agent.api.instrumentation.MethodAdvice;
import ai.wandb.agent.api.instrumentation.TypeMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The methods {@code wandb.trace.methods} names, each a {@code CHAIN} span called {@code Class.method}
 * (every overload of a name). A named method the class does not declare is one warning when the class
 * loads; a class no loader ever defined is one warning at exit, since a class may be defined late, by a
 * loader that could not be asked at start (a Spring Boot jar's).
 */
final class ConfiguredMethods implements ClassFileInstrumentation {
  private final Map<String, Set<String>> methodsByClass;
  private final Set<String> neverLoaded = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
  private final Set<String> warned = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

  ConfiguredMethods(Map<String, Set<String>> methodsByClass) {
    this.methodsByClass = methodsByClass;
    neverLoaded.addAll(methodsByClass.keySet());
  }

  @Override
  public TypeMatcher typeMatcher() {
    return TypeMatcher.named(methodsByClass.keySet().toArray(new String[0]));
  }

  @Override
  public List<MethodAdvice> methodAdvice() {
    return Collections.emptyList();
  }

  @Override
  public List<MethodAdvice> methodAdvice(String binaryName, byte[] classFile) {
    neverLoaded.remove(binaryName);
    Set<String> wanted = methodsByClass.get(binaryName);
    if (wanted == null) {
      return Collections.emptyList();
    }
    boolean all = wanted.contains(MethodList.ALL);
    Set<String> missing = new LinkedHashSet<String>(wanted);
    missing.remove(MethodList.ALL);
    List<MethodAdvice> advice = new ArrayList<MethodAdvice>();
    for (DeclaredMethods.Method method : DeclaredMethods.read(classFile)) {
      if (method.isOwnCode() && (all || wanted.contains(method.name))) {
        missing.remove(method.name);
        advice.add(MethodAdvices.exactly(method,
            new MethodSpans(spanName(binaryName, method.name), SpanKind.CHAIN, method.parameterNames, null)));
      }
    }
    for (String name : missing) {
      if (warned.add(binaryName + "." + name)) {
        AgentLog.warn("wandb.trace.methods names " + binaryName + "[" + name + "], but " + binaryName
            + " declares no method " + name + " with a body; it is not traced");
      }
    }
    return advice;
  }

  /** The classes named that no class loader has defined so far. */
  Set<String> neverLoaded() {
    return new HashSet<String>(neverLoaded);
  }

  /** {@code Assistant.answer} for {@code com.acme.Assistant}, {@code Outer$Inner.run} for a nested class. */
  static String spanName(String binaryName, String method) {
    return binaryName.substring(binaryName.lastIndexOf('.') + 1) + "." + method;
  }
}
