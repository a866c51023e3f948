package ai.wandb.agent.api.instrumentation;

/**
 * What runs around a hooked method. The woven code calls {@link Hooks}, which calls these and swallows
 * anything they throw, so a hook can never change what the application sees except through what it
 * returns on purpose. Both run on the application's thread: keep them to taking references.
 */
public interface MethodHook {
  /**
   * A method was woven with this hook (at class-load time, before it can run), for hooks that need to
   * know which classes they follow.
   */
  default void woven(HookSite site) {}

  /**
   * Before the body. {@code arguments} holds the method's arguments, then the values of the fields the
   * advice reads; an entry at an index the advice declares writable may be replaced (with a value of the
   * parameter's type) and the method then runs with it. The result is handed to {@link #exit}.
   */
  default Object enter(HookSite site, Object self, Object[] arguments) {
    return null;
  }

  /**
   * After the body, whether it returned ({@code thrown} null) or threw. Returns what the method returns:
   * {@code returned} itself, or a value of the method's return type standing in for it. Ignored when the
   * method threw or returns void.
   */
  default Object exit(HookSite site, Object state, Object self, Object returned, Throwable thrown) {
    return returned;
  }
}
