package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.AgentLog;

/**
 * Hooks of several instrumentations that select the same method (a class that is both a LangChain4j
 * streaming handler and an AI service's own, for instance): entered in order, exited in reverse, each
 * with its own state, and one hook's failure does not keep the others from running.
 */
final class HookChain implements MethodHook {
  private final MethodHook[] hooks;

  HookChain(MethodHook[] hooks) {
    this.hooks = hooks;
  }

  @Override
  public void woven(HookSite site) {
    for (MethodHook hook : hooks) {
      hook.woven(site);
    }
  }

  @Override
  public Object enter(HookSite site, Object self, Object[] arguments) {
    Object[] states = new Object[hooks.length];
    for (int i = 0; i < hooks.length; i++) {
      try {
        states[i] = hooks[i].enter(site, self, arguments);
      } catch (Throwable t) {
        AgentLog.debug("hook " + site + " failed on entry: " + t);
      }
    }
    return states;
  }

  @Override
  public Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
    Object[] states = (Object[]) state;
    for (int i = hooks.length - 1; i >= 0; i--) {
      try {
        returned = hooks[i].exit(site, states == null ? null : states[i], self, returned, thrown);
      } catch (Throwable t) {
        AgentLog.debug("hook " + site + " failed on exit: " + t);
      }
    }
    return returned;
  }
}
