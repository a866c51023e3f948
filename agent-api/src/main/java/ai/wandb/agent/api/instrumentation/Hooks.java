package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;

/**
 * The two static methods woven code calls. A woven method knows its site by number (a constant in its
 * bytecode); the site knows its hook. Whatever a hook throws stays here: the method then runs and returns
 * as it would without the agent.
 */
public final class Hooks {
  private static final Object LOCK = new Object();
  private static volatile HookSite[] sites = new HookSite[32];
  private static int count;
  private static volatile BridgeHook[] bridges = new BridgeHook[0];
  /** What a hook gets for a method without arguments or fields read (the woven code passes null). */
  private static final Object[] NO_ARGUMENTS = new Object[0];

  private Hooks() {}

  static int register(HookSite site) {
    synchronized (LOCK) {
      HookSite[] current = sites;
      if (count == current.length) {
        HookSite[] grown = new HookSite[current.length * 2];
        System.arraycopy(current, 0, grown, 0, count);
        current = grown;
      }
      current[count] = site;
      // Published through the volatile write: woven code reads the array, then the site.
      sites = current;
      return count++;
    }
  }

  static int registerBridge(BridgeHook hook) {
    synchronized (LOCK) {
      BridgeHook[] grown = java.util.Arrays.copyOf(bridges, bridges.length + 1);
      grown[grown.length - 1] = hook;
      bridges = grown;
      return grown.length - 1;
    }
  }

  /**
   * Called by code woven with {@link BridgeAdvice}, through a method handle (JDK classes cannot link to
   * this class); returns the hook's result, null when it threw.
   */
  public static Object bridge(Object value, int siteId) {
    try {
      return bridges[siteId].apply(value);
    } catch (Throwable t) {
      AgentLog.debug("bridged hook " + siteId + " failed: " + t);
      return null;
    }
  }

  /** Called first thing in a woven method; returns the state the exit call gets back. */
  public static Object enter(Object[] arguments, Object self, int siteId) {
    HookSite site = sites[siteId];
    try {
      return site.hook().enter(site, self, arguments == null ? NO_ARGUMENTS : arguments);
    } catch (Throwable t) {
      AgentLog.debug("hook " + site + " failed on entry: " + t);
      return null;
    }
  }

  /** Called at every return and when the body throws; returns what the method returns. */
  public static Object exit(Object returned, Throwable thrown, Object state, Object self, int siteId) {
    HookSite site = sites[siteId];
    try {
      return site.hook().exit(site, state, self, returned, thrown);
    } catch (Throwable t) {
      AgentLog.debug("hook " + site + " failed on exit: " + t);
      return returned;
    }
  }
}
