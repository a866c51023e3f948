package ai.wandb.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityWeakMapTest {
  /** A value that refers to its key, as a span refers to its prompt. */
  record Holder(Object key) {}

  @Test
  void equalKeysAreDifferentEntries() {
    IdentityWeakMap<Holder> map = new IdentityWeakMap<>();
    List<String> one = new ArrayList<>(List.of("a"));
    List<String> two = new ArrayList<>(List.of("a"));
    Holder first = new Holder(one);
    map.put(one, first);
    assertSame(first, map.get(one));
    assertNull(map.get(two), "equal but not the same object");
  }

  @Test
  void anEntryWhoseValueRefersToItsKeyGoesWhenBothAreUnreachable() throws Exception {
    IdentityWeakMap<Holder> map = new IdentityWeakMap<>();
    for (int i = 0; i < 100; i++) {
      Object key = new Object();
      map.put(key, new Holder(key));
    }
    for (int i = 0; i < 50 && map.size() > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(0, map.size());
  }

  @Test
  void withStrongValuesAValueNothingElseHoldsStaysWhileItsKeyIsReachableAndGoesWithIt() throws Exception {
    IdentityWeakMap<Object> map = IdentityWeakMap.strongValues();
    Object kept = new Object();
    map.put(kept, new Object());
    for (int i = 0; i < 100; i++) {
      map.put(new Object(), new Object());
    }
    for (int i = 0; i < 50 && map.size() > 1; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(1, map.size());
    assertNotNull(map.get(kept), "held by the map alone");
  }
}
