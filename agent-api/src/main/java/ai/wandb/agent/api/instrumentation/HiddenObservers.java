package ai.wandb.agent.api.instrumentation;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjIntConsumer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The classes behind {@link ReactorSignals#observed}: one per Reactor (its {@code Flux} or {@code Mono}
 * class), generated here and defined as a hidden class (JEP 371, Java 15+) in Reactor's own package and
 * class loader. Hidden classes' frames are left out of stack traces ({@code Throwable} and
 * {@code StackWalker}, as lambda proxies' are, unless {@code -XX:+ShowHiddenFrames}), so the subscriber it
 * puts between a stream and the app's subscriber adds no frame under the app's {@code onNext}, and its
 * callbacks (the module's, through {@link ObjIntConsumer}) have returned when the app's code runs.
 *
 * <p>One class plays both parts: an instance made with a publisher ({@code upstream}) and no subscriber is
 * the {@code Flux}/{@code Mono} handed out, whose {@code subscribe} subscribes the publisher with an
 * instance around the subscriber; that one keeps the subscription it gets as {@code upstream} and is the
 * subscription its subscriber gets, so that a cancel is seen. There are two such classes per Reactor: the
 * second is also a {@code ConditionalSubscriber} ({@code tryOnNext}) and goes around a subscriber that is
 * one, since Reactor's operators pick their subscriber's class, and so their frames, by whether the
 * subscriber below is conditional. A hidden class cannot name another, so each makes subscribers through
 * the two constructors' method handles in its static fields (set once defined). In Java source, for
 * {@code extends Flux} (or {@code Mono}):
 *
 * <pre>{@code
 * final class WandbObservedFlux extends Flux implements CoreSubscriber, Subscription, Scannable, OptimizableOperator {
 *   static MethodHandle PLAIN, CONDITIONAL; Object upstream; final CoreSubscriber actual; final ObjIntConsumer signals;
 *   private CoreSubscriber make(CoreSubscriber s) { return (s instanceof ConditionalSubscriber ? CONDITIONAL : PLAIN).invokeExact(null, s, signals); }
 *   public void subscribe(CoreSubscriber s) { ((CorePublisher) upstream).subscribe(make(s)); }
 *   public CoreSubscriber subscribeOrReturn(CoreSubscriber s) { return make(s); }  // source(), nextOptimizableSource(): upstream
 *   public Context currentContext() { return actual.currentContext(); }
 *   public void onSubscribe(Subscription s) { upstream = s; signals.accept(null, SUBSCRIBE); actual.onSubscribe(this); }
 *   public void onNext(Object t) { signals.accept(t, NEXT); actual.onNext(t); }
 *   public boolean tryOnNext(Object t) { signals.accept(t, NEXT); return ((ConditionalSubscriber) actual).tryOnNext(t); }  // conditional only
 *   public void onError(Throwable t) { signals.accept(t, ERROR); actual.onError(t); }
 *   public void onComplete() { signals.accept(null, COMPLETE); actual.onComplete(); }
 *   public void request(long n) { ((Subscription) upstream).request(n); }
 *   public void cancel() { signals.accept(null, CANCEL); ((Subscription) upstream).cancel(); }
 *   public Object scanUnsafe(Attr key) { PARENT: upstream; ACTUAL: actual; RUN_STYLE: SYNC; INTERNAL_PRODUCER: true; else null }
 *   public String toString() { return String.valueOf(upstream); }
 * }
 * }</pre>
 *
 * It claims no fusion (it is no {@code Fuseable}, its subscription no {@code QueueSubscription}), and it
 * answers {@code INTERNAL_PRODUCER} as Reactor's own operators do, so that Reactor's automatic context
 * propagation (3.5.3+) does not wrap its subscriber.
 */
final class HiddenObservers {
  private static final String PACKAGE = "reactor/core/publisher/";
  private static final String CORE_SUBSCRIBER = "reactor/core/CoreSubscriber";
  private static final String SUBSCRIPTION = "org/reactivestreams/Subscription";
  private static final String SIGNALS = "java/util/function/ObjIntConsumer";
  private static final String ATTR = "reactor/core/Scannable$Attr";
  private static final String OPTIMIZABLE = PACKAGE + "OptimizableOperator";
  private static final String CONDITIONAL = "reactor/core/Fuseable$ConditionalSubscriber";
  private static final String HANDLE = "Ljava/lang/invoke/MethodHandle;";

  /**
   * By Reactor's Flux or Mono class, the constructor (upstream, subscriber, signals) of its plain hidden
   * class; null where none can be defined.
   */
  private static final ClassValue<Constructor<?>> CLASSES = new ClassValue<Constructor<?>>() {
    @Override
    protected Constructor<?> computeValue(Class<?> base) {
      try {
        Class<?> subscriber = Class.forName("reactor.core.CoreSubscriber", false, base.getClassLoader());
        MethodHandles.Lookup plain = define(base, generate(base, false));
        MethodHandles.Lookup conditional = define(base, generate(base, true));
        MethodType init = MethodType.methodType(void.class, Object.class, subscriber, ObjIntConsumer.class);
        MethodType make = MethodType.methodType(subscriber, Object.class, subscriber, ObjIntConsumer.class);
        MethodHandle makePlain = plain.findConstructor(plain.lookupClass(), init).asType(make);
        MethodHandle makeConditional = conditional.findConstructor(conditional.lookupClass(), init).asType(make);
        for (MethodHandles.Lookup lookup : new MethodHandles.Lookup[] {plain, conditional}) {
          setStatic(lookup.lookupClass(), "PLAIN", makePlain);
          setStatic(lookup.lookupClass(), "CONDITIONAL", makeConditional);
        }
        Constructor<?> constructor = plain.lookupClass().getDeclaredConstructor(Object.class, subscriber, ObjIntConsumer.class);
        constructor.setAccessible(true);
        return constructor;
      } catch (Throwable e) {
        // Java 8 to 14, Reactor in a named module that does not open its package, or another Reactor: not observed this way.
        return null;
      }
    }
  };

  private static void setStatic(Class<?> type, String name, Object value) throws Exception {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    field.set(null, value);
  }

  private HiddenObservers() {}

  /** {@code publisher} (a Flux or Mono of Reactor class {@code base}) observed by {@code signals}; null where that cannot be done. */
  static Object observed(Class<?> base, Object publisher, ObjIntConsumer<Object> signals) {
    Constructor<?> constructor = CLASSES.get(base);
    if (constructor == null) {
      return null;
    }
    try {
      return constructor.newInstance(publisher, null, signals);
    } catch (Exception e) {
      return null;
    }
  }

  /** {@code Lookup.defineHiddenClass} (Java 15+) in {@code base}'s package, called by reflection: the agent's bytecode is Java 8's. */
  private static MethodHandles.Lookup define(Class<?> base, byte[] bytes) throws Exception {
    Object lookup = MethodHandles.class.getMethod("privateLookupIn", Class.class, MethodHandles.Lookup.class)
        .invoke(null, base, MethodHandles.lookup());
    Class<?> option = Class.forName("java.lang.invoke.MethodHandles$Lookup$ClassOption");
    Object options = Array.newInstance(option, 0);
    Object defined = MethodHandles.Lookup.class.getMethod("defineHiddenClass", byte[].class, boolean.class, options.getClass())
        .invoke(lookup, bytes, Boolean.TRUE, options);
    return (MethodHandles.Lookup) defined;
  }

  /**
   * The class for Reactor's {@code base} ({@code Flux} or {@code Mono}), {@code conditional} or not;
   * attributes its Reactor lacks are left out of {@code scanUnsafe}.
   */
  static byte[] generate(Class<?> base, boolean conditional) {
    String superName = base.getName().replace('.', '/');
    String self = PACKAGE + "WandbObserved" + base.getSimpleName() + (conditional ? "Conditional" : "");
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(String type1, String type2) {
        // Never asked for: every branch target has the method's initial locals. Loading a class here must not happen.
        return "java/lang/Object";
      }
    };
    boolean optimizable = isOptimizableOperator(base.getClassLoader());
    List<String> interfaces = new ArrayList<String>(Arrays.asList(CORE_SUBSCRIBER, SUBSCRIPTION, "reactor/core/Scannable"));
    if (optimizable) {
      interfaces.add(OPTIMIZABLE);
    }
    if (conditional) {
      interfaces.add(CONDITIONAL);
    }
    cw.visit(Opcodes.V1_8, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, self, null, superName, interfaces.toArray(new String[0]));
    cw.visitField(Opcodes.ACC_STATIC, "PLAIN", HANDLE, null, null).visitEnd();
    cw.visitField(Opcodes.ACC_STATIC, "CONDITIONAL", HANDLE, null, null).visitEnd();
    cw.visitField(0, "upstream", "Ljava/lang/Object;", null, null).visitEnd();
    cw.visitField(Opcodes.ACC_FINAL, "actual", "L" + CORE_SUBSCRIBER + ";", null, null).visitEnd();
    cw.visitField(Opcodes.ACC_FINAL, "signals", "L" + SIGNALS + ";", null, null).visitEnd();

    String init = "(Ljava/lang/Object;L" + CORE_SUBSCRIBER + ";L" + SIGNALS + ";)V";
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", init, null, null);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
    putField(mv, self, 1, "upstream", "Ljava/lang/Object;");
    putField(mv, self, 2, "actual", "L" + CORE_SUBSCRIBER + ";");
    putField(mv, self, 3, "signals", "L" + SIGNALS + ";");
    mv.visitInsn(Opcodes.RETURN);
    end(mv);

    String make = "(L" + CORE_SUBSCRIBER + ";)L" + CORE_SUBSCRIBER + ";";
    mv = cw.visitMethod(Opcodes.ACC_PRIVATE, "make", make, null, null);
    Label plain = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitTypeInsn(Opcodes.INSTANCEOF, CONDITIONAL);
    mv.visitJumpInsn(Opcodes.IFEQ, plain);
    construct(mv, self, "CONDITIONAL");
    mv.visitLabel(plain);
    construct(mv, self, "PLAIN");
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "subscribe", "(L" + CORE_SUBSCRIBER + ";)V", null, null);
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.CHECKCAST, "reactor/core/CorePublisher");
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, self, "make", make, false);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "reactor/core/CorePublisher", "subscribe", "(L" + CORE_SUBSCRIBER + ";)V", true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);

    if (optimizable) {
      optimizableOperator(cw, self, make);
    }
    if (conditional) {
      mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "tryOnNext", "(Ljava/lang/Object;)Z", null, null);
      signal(mv, self, true, ReactorSignals.NEXT);
      getField(mv, self, "actual", "L" + CORE_SUBSCRIBER + ";");
      mv.visitTypeInsn(Opcodes.CHECKCAST, CONDITIONAL);
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, CONDITIONAL, "tryOnNext", "(Ljava/lang/Object;)Z", true);
      mv.visitInsn(Opcodes.IRETURN);
      end(mv);
    }

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "currentContext", "()Lreactor/util/context/Context;", null, null);
    getField(mv, self, "actual", "L" + CORE_SUBSCRIBER + ";");
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, CORE_SUBSCRIBER, "currentContext", "()Lreactor/util/context/Context;", true);
    mv.visitInsn(Opcodes.ARETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "onSubscribe", "(L" + SUBSCRIPTION + ";)V", null, null);
    putField(mv, self, 1, "upstream", "Ljava/lang/Object;");
    signal(mv, self, false, ReactorSignals.SUBSCRIBE);
    getField(mv, self, "actual", "L" + CORE_SUBSCRIBER + ";");
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, CORE_SUBSCRIBER, "onSubscribe", "(L" + SUBSCRIPTION + ";)V", true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);

    forward(cw, self, "onNext", "(Ljava/lang/Object;)V", ReactorSignals.NEXT);
    forward(cw, self, "onError", "(Ljava/lang/Throwable;)V", ReactorSignals.ERROR);
    forward(cw, self, "onComplete", "()V", ReactorSignals.COMPLETE);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "request", "(J)V", null, null);
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.CHECKCAST, SUBSCRIPTION);
    mv.visitVarInsn(Opcodes.LLOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SUBSCRIPTION, "request", "(J)V", true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "cancel", "()V", null, null);
    signal(mv, self, false, ReactorSignals.CANCEL);
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.CHECKCAST, SUBSCRIPTION);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SUBSCRIPTION, "cancel", "()V", true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);

    scanUnsafe(cw, self, base);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "toString", "()Ljava/lang/String;", null, null);
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/String", "valueOf", "(Ljava/lang/Object;)Ljava/lang/String;", false);
    mv.visitInsn(Opcodes.ARETURN);
    end(mv);

    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * Reactor's {@code OptimizableOperator} (3.3+), so that a subscribe from downstream goes through it in
   * Reactor's own loop ({@code Flux.subscribe}) as through the operators around it, with no frame more on
   * a synchronous subscription's stack than without it:
   * {@code subscribeOrReturn(s) { return new Self(null, s, signals); }}, {@code source()} the upstream,
   * {@code nextOptimizableSource()} the upstream where it is one too.
   */
  private static void optimizableOperator(ClassWriter cw, String self, String make) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "subscribeOrReturn", make, null, null);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, self, "make", make, false);
    mv.visitInsn(Opcodes.ARETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "source", "()Lreactor/core/CorePublisher;", null, null);
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.CHECKCAST, "reactor/core/CorePublisher");
    mv.visitInsn(Opcodes.ARETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "nextOptimizableSource", "()L" + OPTIMIZABLE + ";", null, null);
    Label none = new Label();
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.INSTANCEOF, OPTIMIZABLE);
    mv.visitJumpInsn(Opcodes.IFEQ, none);
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.CHECKCAST, OPTIMIZABLE);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitLabel(none);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitInsn(Opcodes.ARETURN);
    end(mv);
  }

  /** Whether this Reactor has {@code OptimizableOperator} with the three methods of 3.3 to 3.8. */
  private static boolean isOptimizableOperator(ClassLoader loader) {
    try {
      Class<?> type = Class.forName(OPTIMIZABLE.replace('/', '.'), false, loader);
      Class<?> subscriber = Class.forName("reactor.core.CoreSubscriber", false, loader);
      type.getDeclaredMethod("subscribeOrReturn", subscriber);
      type.getDeclaredMethod("source");
      type.getDeclaredMethod("nextOptimizableSource");
      return type.getDeclaredMethods().length == 3;
    } catch (Exception | LinkageError e) {
      return false;
    }
  }

  /** {@code scanUnsafe}: a {@code key ==} test per attribute, each only where this Reactor has it. */
  private static void scanUnsafe(ClassWriter cw, String self, Class<?> base) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "scanUnsafe", "(L" + ATTR + ";)Ljava/lang/Object;", null, null);
    scanCase(mv, ATTR, "PARENT", self, "upstream", "Ljava/lang/Object;");
    scanCase(mv, ATTR, "ACTUAL", self, "actual", "L" + CORE_SUBSCRIBER + ";");
    ClassLoader loader = base.getClassLoader();
    if (hasField(loader, "reactor.core.Scannable$Attr", "RUN_STYLE")) {
      Label other = new Label();
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitFieldInsn(Opcodes.GETSTATIC, ATTR, "RUN_STYLE", "L" + ATTR + ";");
      mv.visitJumpInsn(Opcodes.IF_ACMPNE, other);
      mv.visitFieldInsn(Opcodes.GETSTATIC, ATTR + "$RunStyle", "SYNC", "L" + ATTR + "$RunStyle;");
      mv.visitInsn(Opcodes.ARETURN);
      mv.visitLabel(other);
    }
    if (hasField(loader, "reactor.core.publisher.InternalProducerAttr", "INSTANCE")) {
      Label other = new Label();
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitFieldInsn(Opcodes.GETSTATIC, PACKAGE + "InternalProducerAttr", "INSTANCE", "L" + PACKAGE + "InternalProducerAttr;");
      mv.visitJumpInsn(Opcodes.IF_ACMPNE, other);
      mv.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
      mv.visitInsn(Opcodes.ARETURN);
      mv.visitLabel(other);
    }
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitInsn(Opcodes.ARETURN);
    end(mv);
  }

  private static void scanCase(MethodVisitor mv, String attr, String key, String self, String field, String descriptor) {
    Label other = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitFieldInsn(Opcodes.GETSTATIC, attr, key, "L" + attr + ";");
    mv.visitJumpInsn(Opcodes.IF_ACMPNE, other);
    getField(mv, self, field, descriptor);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitLabel(other);
  }

  private static boolean hasField(ClassLoader loader, String type, String field) {
    try {
      Class.forName(type, false, loader).getDeclaredField(field);
      return true;
    } catch (Exception | LinkageError e) {
      return false;
    }
  }

  /** {@code onNext}, {@code onError} or {@code onComplete}: the signal to the callbacks, then to the subscriber. */
  private static void forward(ClassWriter cw, String self, String name, String descriptor, int kind) {
    boolean value = !descriptor.equals("()V");
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, name, descriptor, null, null);
    signal(mv, self, value, kind);
    getField(mv, self, "actual", "L" + CORE_SUBSCRIBER + ";");
    if (value) {
      mv.visitVarInsn(Opcodes.ALOAD, 1);
    }
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, CORE_SUBSCRIBER, name, descriptor, true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);
  }

  /** {@code return (CoreSubscriber) <handle>.invokeExact(null, subscriber, signals)}: the subscriber around argument 1. */
  private static void construct(MethodVisitor mv, String self, String handle) {
    mv.visitFieldInsn(Opcodes.GETSTATIC, self, handle, HANDLE);
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    getField(mv, self, "signals", "L" + SIGNALS + ";");
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact",
        "(Ljava/lang/Object;L" + CORE_SUBSCRIBER + ";L" + SIGNALS + ";)L" + CORE_SUBSCRIBER + ";", false);
    mv.visitInsn(Opcodes.ARETURN);
  }

  /** {@code signals.accept(value or null, kind)}. */
  private static void signal(MethodVisitor mv, String self, boolean value, int kind) {
    getField(mv, self, "signals", "L" + SIGNALS + ";");
    if (value) {
      mv.visitVarInsn(Opcodes.ALOAD, 1);
    } else {
      mv.visitInsn(Opcodes.ACONST_NULL);
    }
    mv.visitIntInsn(Opcodes.BIPUSH, kind);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SIGNALS, "accept", "(Ljava/lang/Object;I)V", true);
  }

  private static void getField(MethodVisitor mv, String self, String field, String descriptor) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, self, field, descriptor);
  }

  private static void putField(MethodVisitor mv, String self, int local, String field, String descriptor) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ALOAD, local);
    mv.visitFieldInsn(Opcodes.PUTFIELD, self, field, descriptor);
  }

  private static void end(MethodVisitor mv) {
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }
}
