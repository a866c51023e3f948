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
 * whoever needs the value keeps it reachable.
 */
public final class IdentityWeakMap<V> {
  private final Map<Key, WeakReference<V>> entries = new HashMap<Key, WeakReference<V>>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<Object>();

  public synchronized void put(Object key, V value) {
    if (key == null) {
      return;
    }
    expunge();
    entries.put(new Key(key, collected), new WeakReference<V>(value));
  }

  public synchronized V get(Object key) {
    if (key == null) {
      return null;
    }
    expunge();
    WeakReference<V> value = entries.get(new Key(key, null));
    return value == null ? null : value.get();
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
