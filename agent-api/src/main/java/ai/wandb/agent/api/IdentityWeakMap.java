package ai.wandb.agent.api;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * Values per library object, by identity and weakly: library objects may define value equality (two
 * equal Spring AI prompts are two calls), and an entry goes when its object does. Values are held
 * weakly too: a span refers to its prompt and response, so a strong value would keep its own key alive;
 * whoever needs the value keeps it reachable. A map made by {@link #strongValues} holds its values strongly,
 * for values that nothing else holds and that do not refer to their key.
 */
public final class IdentityWeakMap<V> {
  /** A value, or a {@code WeakReference} to it when {@link #weakValues}. */
  private final Map<Key, Object> entries = new HashMap<Key, Object>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<Object>();
  private final boolean weakValues;

  public IdentityWeakMap() {
    this(true);
  }

  private IdentityWeakMap(boolean weakValues) {
    this.weakValues = weakValues;
  }

  /** Entries go with their keys only: a value must not refer to its key, or the entry stays for good. */
  public static <V> IdentityWeakMap<V> strongValues() {
    return new IdentityWeakMap<V>(false);
  }

  public synchronized void put(Object key, V value) {
    if (key == null) {
      return;
    }
    expunge();
    entries.put(new Key(key, collected), weakValues ? new WeakReference<V>(value) : value);
  }

  @SuppressWarnings("unchecked")
  public synchronized V get(Object key) {
    if (key == null) {
      return null;
    }
    expunge();
    Object value = entries.get(new Key(key, null));
    return value == null ? null : weakValues ? ((WeakReference<V>) value).get() : (V) value;
  }

  public synchronized int size() {
    expunge();
    return entries.size();
  }

  private void expunge() {
    for (Reference<?> ref = collected.poll(); ref != null; ref = collected.poll()) {
      entries.remove(ref);
    }
  }

  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Key)) {
        return false;
      }
      Object referent = get();
      return referent != null && referent == ((Key) other).get();
    }
  }
}
