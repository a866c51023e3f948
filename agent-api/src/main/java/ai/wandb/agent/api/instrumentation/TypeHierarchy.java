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

/**
 * Answers "which of the watched super types does this class being loaded have?" for any class in any
 * package, never by loading a class (which, inside a transformer, could load classes out of order).
 *
 * <p>The class's own header (super class and interfaces: the constant pool is walked, nothing after the
 * interfaces is read, and no bytecode library is loaded) says most
 * of it; what its super types have is remembered per class loader for every class that could be a super
 * type (interfaces and non-final classes), so a hierarchy is walked once. The JVM hands a class to the
 * transformer before it loads that class's super types, so a super type not seen yet has its class file
 * read from the loader (once: the answer is remembered too). JDK types never implement a library's
 * interface and are not read.
 */
final class TypeHierarchy {
  /** Set in {@link #superTypes} for an interface, on top of its super-type bits. */
  static final int INTERFACE = 1 << 31;
  private static final int ACC_FINAL = 0x0010;
  private static final int ACC_INTERFACE = 0x0200;
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
    Header header = new Header(classFile);
    ConcurrentHashMap<String, Integer> cache = cacheOf(loader);
    int bits = fromHeader(loader, cache, header, 0);
    if ((header.access & (ACC_FINAL | ACC_INTERFACE)) != ACC_FINAL) {
      cache.put(internalName, bits);
    }
    return (header.access & ACC_INTERFACE) != 0 ? bits | INTERFACE : bits;
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

  private int fromHeader(ClassLoader loader, ConcurrentHashMap<String, Integer> cache, Header type, int depth) {
    int bits = 0;
    String superName = type.superName;
    if (superName != null) {
      bits |= bitOf(superName) | of(loader, cache, superName, depth);
    }
    for (String name : type.interfaces) {
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
    int found = 0;
    if (classFile != null) {
      try {
        found = fromHeader(loader, cache, new Header(classFile), depth + 1);
      } catch (RuntimeException e) {
        // a broken class file: the JVM will reject that class itself; it has no watched super type here
      }
    }
    cache.put(internalName, found);
    return found;
  }

  /**
   * A text to look for in class files (a package name in internal form), searched the Boyer-Moore-Horspool
   * way: most classes do not contain it, and the search then skips up to the text's length per step.
   */
  static final class Mention {
    final String text;
    private final byte[] bytes;
    private final int[] shift = new int[256];

    Mention(String text) {
      this.text = text;
      bytes = new byte[text.length()];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) text.charAt(i);
      }
      java.util.Arrays.fill(shift, bytes.length);
      for (int i = 0; i < bytes.length - 1; i++) {
        shift[bytes[i] & 0xFF] = bytes.length - 1 - i;
      }
    }

    /** Whether the class (by its name, else its bytes, where every name it uses is written out) names the text. */
    boolean isIn(String internalName, byte[] classFile) {
      if (internalName.startsWith(text)) {
        return true;
      }
      int last = bytes.length - 1;
      for (int end = last; end < classFile.length; end += shift[classFile[end] & 0xFF]) {
        int i = 0;
        while (i <= last && classFile[end - i] == bytes[last - i]) {
          i++;
        }
        if (i > last) {
          return true;
        }
      }
      return false;
    }
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

  /** The class file of {@code internalName} as the loader would find it, or null. */
  static byte[] read(ClassLoader loader, String internalName) {
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

  /**
   * A class file's access flags, super class and interfaces (JVMS 4.1): the constant pool is walked to
   * find where they are, and only the names they point to are decoded. Broken class files throw.
   */
  static final class Header {
    final int access;
    final String superName;
    final String[] interfaces;

    Header(byte[] b) {
      int count = u2(b, 8);
      int[] entries = new int[count];
      int p = 10;
      for (int i = 1; i < count; i++) {
        entries[i] = p + 1;
        int tag = b[p];
        if (tag == 1) {
          p += 3 + u2(b, p + 1);
        } else if (tag == 5 || tag == 6) {
          p += 9;
          i++;
        } else if (tag == 7 || tag == 8 || tag == 16 || tag == 19 || tag == 20) {
          p += 3;
        } else if (tag == 15) {
          p += 4;
        } else if (tag == 3 || tag == 4 || (tag >= 9 && tag <= 12) || tag == 17 || tag == 18) {
          p += 5;
        } else {
          throw new IllegalArgumentException("constant pool tag " + tag);
        }
      }
      access = u2(b, p);
      superName = className(b, entries, u2(b, p + 4));
      interfaces = new String[u2(b, p + 6)];
      for (int i = 0; i < interfaces.length; i++) {
        interfaces[i] = className(b, entries, u2(b, p + 8 + 2 * i));
      }
    }

    private static String className(byte[] b, int[] entries, int classIndex) {
      return classIndex == 0 ? null : utf8(b, entries[u2(b, entries[classIndex])]);
    }

    /** A CONSTANT_Utf8 at {@code at} (its length), in the class file's modified UTF-8. */
    private static String utf8(byte[] b, int at) {
      int end = at + 2 + u2(b, at);
      char[] chars = new char[end - at - 2];
      int length = 0;
      for (int i = at + 2; i < end; i++) {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
          chars[length++] = (char) c;
        } else if (c < 0xE0) {
          chars[length++] = (char) (((c & 0x1F) << 6) | (b[++i] & 0x3F));
        } else {
          chars[length++] = (char) (((c & 0x0F) << 12) | ((b[++i] & 0x3F) << 6) | (b[++i] & 0x3F));
        }
      }
      return new String(chars, 0, length);
    }

    private static int u2(byte[] b, int at) {
      return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
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
