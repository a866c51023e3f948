package ai.wandb.agent.instrumentation.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodListTest {
  private final List<String> warnings = new ArrayList<>();

  private Map<String, Set<String>> parse(String text) {
    return MethodList.parse(text, "wandb.trace.methods", warnings::add);
  }

  @Test
  void readsTheOpenTelemetrySyntaxWithSpacesNestedClassesAndTheWildcard() {
    Map<String, Set<String>> methods =
        parse(" com.acme.Assistant[answer, plan] ; com.acme.Tools[*];com.acme.Outer$Inner[run];");

    assertEquals(List.of("com.acme.Assistant", "com.acme.Tools", "com.acme.Outer$Inner"),
        List.copyOf(methods.keySet()));
    assertEquals(List.of("answer", "plan"), List.copyOf(methods.get("com.acme.Assistant")));
    assertEquals(Set.of(MethodList.ALL), methods.get("com.acme.Tools"));
    assertEquals(Set.of("run"), methods.get("com.acme.Outer$Inner"));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void entriesForOneClassMergeAndTheWildcardCoversTheNamedMethods() {
    Map<String, Set<String>> methods = parse("a.B[x];a.B[y];a.C[z,*]");

    assertEquals(List.of("x", "y"), List.copyOf(methods.get("a.B")));
    assertEquals(Set.of(MethodList.ALL), methods.get("a.C"));
  }

  @Test
  void eachBadEntryIsOneWarningAndTheGoodOnesAreKept() {
    Map<String, Set<String>> methods =
        parse("com.acme.Good[ok];com.acme.NoBrackets;com.acme.Empty[];9bad.Name[x];com.acme.Bad[a b];"
            + "com.acme.Open[x;[x]");

    assertEquals(Map.of("com.acme.Good", Set.of("ok")), methods);
    assertEquals(6, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("wandb.trace.methods entry 'com.acme.NoBrackets' is not Class[method,...]"),
        warnings.get(0));
    assertTrue(warnings.get(1).contains("'com.acme.Empty[]' names no method"), warnings.get(1));
    assertTrue(warnings.get(2).contains("'9bad.Name[x]' has no valid class name"), warnings.get(2));
    assertTrue(warnings.get(3).contains("has an invalid method name 'a b'"), warnings.get(3));
    assertTrue(warnings.get(4).contains("'com.acme.Open[x' is not Class[method,...]"), warnings.get(4));
    assertTrue(warnings.get(5).contains("'[x]' has no valid class name"), warnings.get(5));
    for (String warning : warnings) {
      assertTrue(warning.endsWith("skipped"), warning);
    }
  }

  @Test
  void unsetOrBlankNamesNothing() {
    assertTrue(parse(null).isEmpty());
    assertTrue(parse(" ; ").isEmpty());
    assertTrue(warnings.isEmpty());
  }
}
