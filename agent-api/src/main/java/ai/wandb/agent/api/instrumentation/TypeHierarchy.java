package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.InputStreams;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Answers "which of the watched super types does this class being loaded have?" for any class in any
 * package, never by loading a class (which, inside a transformer, could load classes out of order).
 *
 * <p>The class's own header (super class and interfaces, read by ASM without parsing the rest) says most
 * of it; what its super types have is remembered per class loader for every class that could be a super
 * type (interfaces and non-final classes), so a hierarchy is walked once. The JVM hands a class to the
 * transformer before it loads that class's super types, so a super type not seen yet has its class file
 * read from the loader (once: the answer is remembered too). JDK types never implement a library's
 * interface and are not read.
 */
final class TypeHierarchy {
  /** Set in {@link #superTypes} for an interface, on top of its super-type bits. */
  static final int INTERFACE = 1 << 31;
  /** Deep enough for any real hierarchy; a cycle in broken class files cannot loop forever. */
  private static final int MAX_DEPTH = 32;

  private final List<String> watched = new ArrayList<String>();
  private final Map<ClassLoader, ConcurrentHashMap<String, Integer>> known =
      Collections.synchronizedMap(new WeakHashMap<ClassLoader, ConcurrentHashMap<String, Integer>>());
  /** The last loader's map: class loading comes in long runs on one loader. */
  private volatile LoaderCache last = new LoaderCache(null, null);

  /** The bit {@link #superTypes} sets for classes that have {@code superType} (internal name). Not thread-safe: call at setup. */
  int watch(String superType) {
    int index = watched.indexOf(superType);
    if (index < 0) {
      if (watched.size() == 30) {
        throw new IllegalStateException("at most 30 super types can be watched");
      }
      watched.add(superType);
      index = watched.size() - 1;
    }
    return 1 << index;
  }

  /** The watched super types of the class (one bit each), plus {@link #INTERFACE} when it is an interface. */
  int superTypes(ClassLoader loader, String internalName, byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    ConcurrentHashMap<String, Integer> cache = cacheOf(loader);
    int bits = fromHeader(loader, cache, reader, 0);
    int access = reader.getAccess();
    if ((access & (Opcodes.ACC_FINAL | Opcodes.ACC_INTERFACE)) != Opcodes.ACC_FINAL) {
      cache.put(internalName, bits);
    }
    return (access & Opcodes.ACC_INTERFACE) != 0 ? bits | INTERFACE : bits;
  }

  /** For classes loaded before the agent: the same answer from the loaded class, whose super types are loaded too. */
  int superTypes(Class<?> type) {
    int bits = 0;
    for (Class<?> superType : directSuperTypes(type)) {
      int index = watched.indexOf(superType.getName().replace('.', '/'));
      bits |= (index < 0 ? 0 : 1 << index) | superTypes(superType);
    }
    return bits;
  }

  private static List<Class<?>> directSuperTypes(Class<?> type) {
    List<Class<?>> types = new ArrayList<Class<?>>();
    if (type.getSuperclass() != null) {
      types.add(type.getSuperclass());
    }
    Collections.addAll(types, type.getInterfaces());
    return types;
  }

  private int fromHeader(ClassLoader loader, ConcurrentHashMap<String, Integer> cache, ClassReader type, int depth) {
    int bits = 0;
    String superName = type.getSuperName();
    if (superName != null) {
      bits |= bitOf(superName) | of(loader, cache, superName, depth);
    }
    for (String name : type.getInterfaces()) {
      bits |= bitOf(name) | of(loader, cache, name, depth);
    }
    return bits;
  }

  private int bitOf(String internalName) {
    for (int i = 0; i < watched.size(); i++) {
      if (watched.get(i).equals(internalName)) {
        return 1 << i;
      }
    }
    return 0;
  }

  /** The watched super types of a super type, from what is remembered or else from its class file. */
  private int of(ClassLoader loader, ConcurrentHashMap<String, Integer> cache, String internalName, int depth) {
    if (isJdk(internalName)) {
      return 0;
    }
    Integer bits = cache.get(internalName);
    if (bits != null) {
      return bits;
    }
    if (depth >= MAX_DEPTH) {
      return 0;
    }
    byte[] classFile = read(loader, internalName);
    int found = classFile == null ? 0 : fromHeader(loader, cache, new ClassReader(classFile), depth + 1);
    cache.put(internalName, found);
    return found;
  }

  private static boolean isJdk(String internalName) {
    return internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/");
  }

  private ConcurrentHashMap<String, Integer> cacheOf(ClassLoader loader) {
    LoaderCache recent = last;
    if (recent.loader.get() == loader) {
      return recent.known;
    }
    ConcurrentHashMap<String, Integer> cache;
    synchronized (known) {
      cache = known.get(loader);
      if (cache == null) {
        cache = new ConcurrentHashMap<String, Integer>();
        known.put(loader, cache);
      }
    }
    last = new LoaderCache(loader, cache);
    return cache;
  }

  private static byte[] read(ClassLoader loader, String internalName) {
    InputStream in = loader.getResourceAsStream(internalName + ".class");
    if (in == null) {
      return null;
    }
    try {
      return InputStreams.readAll(in);
    } catch (IOException e) {
      return null;
    }
  }

  /** One loader (weakly, so that it can be unloaded) and what is known of its classes. */
  private static final class LoaderCache {
    final WeakReference<ClassLoader> loader;
    final ConcurrentHashMap<String, Integer> known;

    LoaderCache(ClassLoader loader, ConcurrentHashMap<String, Integer> known) {
      this.loader = new WeakReference<ClassLoader>(loader);
      this.known = known;
    }
  }
}
