package ai.wandb.agent.api.instrumentation;

import ai.wandb.agent.api.InputStreams;
import java.io.IOException;
import java.io.InputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Answers "does this class being loaded have that super type?" from class files, never by loading a
 * class (which, inside a transformer, could load classes out of order). Only classes that a name rule
 * picked get here, so the few class files it reads are not cached.
 */
final class TypeHierarchy {
  /** Deep enough for any real hierarchy; a cycle in broken class files cannot loop forever. */
  private static final int MAX_DEPTH = 32;

  private TypeHierarchy() {}

  /** Whether the class is not an interface and has {@code superType} among its super classes and interfaces. */
  static boolean isImplementation(ClassLoader loader, byte[] classFile, String superType) {
    ClassReader reader = new ClassReader(classFile);
    return (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0 && hasSuperType(loader, reader, superType, 0);
  }

  private static boolean hasSuperType(ClassLoader loader, ClassReader type, String superType, int depth) {
    if (depth > MAX_DEPTH) {
      return false;
    }
    String superName = type.getSuperName();
    if (superType.equals(superName)) {
      return true;
    }
    for (String name : type.getInterfaces()) {
      if (superType.equals(name)) {
        return true;
      }
    }
    if (superName != null && !superName.startsWith("java/") && inherits(loader, superName, superType, depth)) {
      return true;
    }
    for (String name : type.getInterfaces()) {
      if (!name.startsWith("java/") && inherits(loader, name, superType, depth)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inherits(ClassLoader loader, String name, String superType, int depth) {
    byte[] classFile = read(loader, name);
    return classFile != null && hasSuperType(loader, new ClassReader(classFile), superType, depth + 1);
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
}
