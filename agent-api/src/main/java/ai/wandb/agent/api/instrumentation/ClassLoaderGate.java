package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;
import ai.wandb.agent.api.Tracer;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Matches class loaders that can see every marker class of a library, by resource look-up (no library
 * class is loaded) and cached per loader, so type matching never runs on loaders without the library.
 * A loader must also resolve the agent's own {@link Tracer} to this very class: inlined advice calls it,
 * and a loader that cannot reach it (an isolated or child-first loader without the system class path)
 * is left untraced rather than broken.
 */
final class ClassLoaderGate extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
  private final List<String> markerResources;
  private final Map<ClassLoader, Boolean> cache =
      Collections.synchronizedMap(new WeakHashMap<ClassLoader, Boolean>());

  ClassLoaderGate(List<String> markerClassNames) {
    String[] resources = new String[markerClassNames.size()];
    for (int i = 0; i < resources.length; i++) {
      resources[i] = markerClassNames.get(i).replace('.', '/') + ".class";
    }
    this.markerResources = java.util.Arrays.asList(resources);
  }

  @Override
  public boolean matches(ClassLoader loader) {
    if (loader == null) {
      return false;
    }
    Boolean known = cache.get(loader);
    if (known == null) {
      known = hasAll(loader);
      cache.put(loader, known);
    }
    return known;
  }

  private boolean hasAll(ClassLoader loader) {
    for (String resource : markerResources) {
      if (loader.getResource(resource) == null) {
        return false;
      }
    }
    return seesAgent(loader);
  }

  private static boolean seesAgent(ClassLoader loader) {
    try {
      if (Class.forName(Tracer.class.getName(), false, loader) == Tracer.class) {
        return true;
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // fall through: the loader cannot see the agent
    }
    AgentLog.debug("class loader " + loader + " has the library but cannot see the agent; it runs untraced");
    return false;
  }
}
