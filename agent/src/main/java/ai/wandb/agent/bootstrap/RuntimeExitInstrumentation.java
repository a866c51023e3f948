package ai.wandb.agent.bootstrap;

import ai.wandb.agent.api.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Records the status passed to {@code Runtime.exit} (what {@code System.exit} calls), so the W&B run
 * can be finished with the real exit code: a shutdown hook cannot read it otherwise. The inserted code
 * only calls JDK classes (a system property carries the value), because {@code Runtime} is a bootstrap
 * class that cannot see the agent:
 * {@code System.getProperties().putIfAbsent(PROPERTY, Integer.toString(status))}, with no branch, so
 * the method's stack map frames stay valid as they are. The transformer is removed once {@code Runtime}
 * is retransformed, so no later class load pays for it.
 */
final class RuntimeExitInstrumentation implements ClassFileTransformer {
  static final String PROPERTY = "wandb.agent.exit_status";
  private static final String RUNTIME = "java/lang/Runtime";

  private RuntimeExitInstrumentation() {}

  static void install(Instrumentation instrumentation) {
    RuntimeExitInstrumentation transformer = new RuntimeExitInstrumentation();
    try {
      instrumentation.addTransformer(transformer, true);
      instrumentation.retransformClasses(Runtime.class);
    } catch (Throwable t) {
      AgentLog.debug("the exit status will not be known (Runtime.exit not instrumented): " + t);
    } finally {
      instrumentation.removeTransformer(transformer);
    }
  }

  /** The status the JVM exits with, when it exits through {@code System.exit}; null otherwise. */
  static Integer recorded() {
    String value = System.getProperty(PROPERTY);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classFile) {
    if (loader != null || !RUNTIME.equals(className)) {
      return null;
    }
    try {
      ClassReader reader = new ClassReader(classFile);
      ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
      reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
            String[] exceptions) {
          MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
          return "exit".equals(name) && "(I)V".equals(descriptor) ? new RecordStatus(next) : next;
        }
      }, 0);
      return writer.toByteArray();
    } catch (Throwable t) {
      AgentLog.debug("the exit status will not be known (Runtime.exit not instrumented): " + t);
      return null;
    }
  }

  /** Prepends the recording to {@code exit(int)}. */
  private static final class RecordStatus extends MethodVisitor {
    RecordStatus(MethodVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "getProperties", "()Ljava/util/Properties;", false);
      visitLdcInsn(PROPERTY);
      visitVarInsn(Opcodes.ILOAD, 1);
      visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "toString", "(I)Ljava/lang/String;", false);
      visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/util/Properties", "putIfAbsent",
          "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", false);
      visitInsn(Opcodes.POP);
    }
  }
}
