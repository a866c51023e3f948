package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Matches class loaders that can see every marker class of a library, by resource look-up (no library
 * class is loaded) and cached per loader, so type matching never runs on loaders without the library.
 * A loader must also resolve the agent's own {@link Hooks} to this very class: woven code calls it,
 * and a loader that cannot reach it (an isolated or child-first loader without the system class path)
 * is left untraced rather than broken.
 */
final class ClassLoaderGate {
  private final String moduleName;
  private final List<String> markerResources;
  private final Map<ClassLoader, Boolean> cache =
      Collections.synchronizedMap(new WeakHashMap<ClassLoader, Boolean>());

  ClassLoaderGate(String moduleName, List<String> markerClassNames) {
    this.moduleName = moduleName;
    String[] resources = new String[markerClassNames.size()];
    for (int i = 0; i < resources.length; i++) {
      resources[i] = markerClassNames.get(i).replace('.', '/') + ".class";
    }
    this.markerResources = java.util.Arrays.asList(resources);
  }

  boolean matches(ClassLoader loader) {
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
    for (int i = 0; i < markerResources.size(); i++) {
      if (loader.getResource(markerResources.get(i)) == null) {
        if (i > 0) {
          // The library is there, but not in a version the module supports (DESIGN §3, rule 4).
          AgentLog.debug("class loader " + loader + " has " + markerResources.get(0) + " but not "
              + markerResources.get(i) + ": this version is outside what the " + moduleName
              + " instrumentation supports; it runs untraced");
        }
        return false;
      }
    }
    return seesAgent(loader);
  }

  private static boolean seesAgent(ClassLoader loader) {
    try {
      if (Class.forName(Hooks.class.getName(), false, loader) == Hooks.class) {
        return true;
      }
    } catch (ClassNotFoundException | LinkageError e) {
      // fall through: the loader cannot see the agent
    }
    AgentLog.debug("class loader " + loader + " has the library but cannot see the agent; it runs untraced");
    return false;
  }
}
