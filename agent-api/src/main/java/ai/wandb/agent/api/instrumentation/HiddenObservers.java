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
 * Fusion: a source that is no {@code Fuseable} gets these classes, which claim none; a {@code Fuseable}
 * one gets a second pair that is {@code Fuseable} too, its subscription a {@code QueueSubscription} that
 * passes the fusion its upstream grants through (see {@link #queueSubscription}), so that the operators
 * assembled on the observed Flux or Mono are the fuseable ones they are on the source (Reactor's
 * {@code map} of a fuseable source is {@code FluxMapFuseable}, whose frames are another class's), and a
 * fused stream stays fused. Each answers {@code INTERNAL_PRODUCER} as Reactor's own operators do, so that
 * Reactor's automatic context propagation (3.5.3+) does not wrap its subscriber.
 */
final class HiddenObservers {
  private static final String PACKAGE = "reactor/core/publisher/";
  private static final String CORE_SUBSCRIBER = "reactor/core/CoreSubscriber";
  private static final String SUBSCRIPTION = "org/reactivestreams/Subscription";
  private static final String SIGNALS = "java/util/function/ObjIntConsumer";
  private static final String ATTR = "reactor/core/Scannable$Attr";
  private static final String OPTIMIZABLE = PACKAGE + "OptimizableOperator";
  private static final String CONDITIONAL = "reactor/core/Fuseable$ConditionalSubscriber";
  private static final String FUSEABLE = "reactor/core/Fuseable";
  private static final String QUEUE_SUBSCRIPTION = "reactor/core/Fuseable$QueueSubscription";
  private static final int SYNC = 1;
  private static final int ASYNC = 2;
  private static final String HANDLE = "Ljava/lang/invoke/MethodHandle;";

  /**
   * By Reactor's Flux or Mono class, the constructors (upstream, subscriber, signals) of its plain hidden
   * classes: [0] for a source that does not fuse, [1] for one that does ({@code Fuseable}); null where none
   * can be defined.
   */
  private static final ClassValue<Classes> CLASSES = new ClassValue<Classes>() {
    @Override
    protected Classes computeValue(Class<?> base) {
      try {
        return new Classes(family(base, false), family(base, true),
            Class.forName(FUSEABLE.replace('/', '.'), false, base.getClassLoader()));
      } catch (Throwable e) {
        // Java 8 to 14, Reactor in a named module that does not open its package, or another Reactor: not observed this way.
        return null;
      }
    }
  };

  private static final class Classes {
    final Constructor<?> plain;
    final Constructor<?> fuseable;
    final Class<?> fuseableType;

    Classes(Constructor<?> plain, Constructor<?> fuseable, Class<?> fuseableType) {
      this.plain = plain;
      this.fuseable = fuseable;
      this.fuseableType = fuseableType;
    }
  }

  /** Defines the plain and the conditional class of one family; returns the plain one's constructor. */
  private static Constructor<?> family(Class<?> base, boolean fuseable) throws Exception {
    Class<?> subscriber = Class.forName("reactor.core.CoreSubscriber", false, base.getClassLoader());
    MethodHandles.Lookup plain = define(base, generate(base, false, fuseable));
    MethodHandles.Lookup conditional = define(base, generate(base, true, fuseable));
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
  }

  private static void setStatic(Class<?> type, String name, Object value) throws Exception {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    field.set(null, value);
  }

  private HiddenObservers() {}

  /** {@code publisher} (a Flux or Mono of Reactor class {@code base}) observed by {@code signals}; null where that cannot be done. */
  static Object observed(Class<?> base, Object publisher, ObjIntConsumer<Object> signals) {
    Classes classes = CLASSES.get(base);
    if (classes == null) {
      return null;
    }
    try {
      // A fuseable source gets a fuseable observer, so that the operators assembled on it are the same kind.
      Constructor<?> constructor = classes.fuseableType.isInstance(publisher) ? classes.fuseable : classes.plain;
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
  static byte[] generate(Class<?> base, boolean conditional, boolean fuseable) {
    String superName = base.getName().replace('.', '/');
    String self = PACKAGE + "WandbObserved" + (fuseable ? "Fuseable" : "") + base.getSimpleName() + (conditional ? "Conditional" : "");
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(String type1, String type2) {
        // Never asked for: each branch target is reached with the same local types on every path (a handler's
        // with the method's initial ones). Loading a class here must not happen.
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
    if (fuseable) {
      interfaces.add(FUSEABLE);
      interfaces.add(QUEUE_SUBSCRIPTION);
    }
    cw.visit(Opcodes.V1_8, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, self, null, superName, interfaces.toArray(new String[0]));
    cw.visitField(Opcodes.ACC_STATIC, "PLAIN", HANDLE, null, null).visitEnd();
    cw.visitField(Opcodes.ACC_STATIC, "CONDITIONAL", HANDLE, null, null).visitEnd();
    cw.visitField(0, "upstream", "Ljava/lang/Object;", null, null).visitEnd();
    cw.visitField(Opcodes.ACC_FINAL, "actual", "L" + CORE_SUBSCRIBER + ";", null, null).visitEnd();
    cw.visitField(Opcodes.ACC_FINAL, "signals", "L" + SIGNALS + ";", null, null).visitEnd();
    if (fuseable) {
      cw.visitField(0, "mode", "I", null, null).visitEnd();
      cw.visitField(0, "done", "Z", null, null).visitEnd();
    }

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
      nextUnlessFused(mv, self, fuseable);
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

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "onNext", "(Ljava/lang/Object;)V", null, null);
    nextUnlessFused(mv, self, fuseable);
    getField(mv, self, "actual", "L" + CORE_SUBSCRIBER + ";");
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, CORE_SUBSCRIBER, "onNext", "(Ljava/lang/Object;)V", true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);
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

    if (fuseable) {
      queueSubscription(cw, self);
    }
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

  /**
   * {@code onNext}'s (or {@code tryOnNext}'s) signal to the callbacks; in a fuseable class, not in
   * {@code ASYNC} fusion, where {@code onNext} only tells the subscriber to {@link #queueSubscription poll}.
   */
  private static void nextUnlessFused(MethodVisitor mv, String self, boolean fuseable) {
    Label fused = new Label();
    if (fuseable) {
      getField(mv, self, "mode", "I");
      mv.visitIntInsn(Opcodes.BIPUSH, ASYNC);
      mv.visitJumpInsn(Opcodes.IF_ICMPEQ, fused);
    }
    signal(mv, self, true, ReactorSignals.NEXT);
    mv.visitLabel(fused);
  }

  /**
   * A fuseable class's {@code QueueSubscription}: fusion is what its upstream's subscription grants (none
   * where that is no {@code QueueSubscription}), so the subscriber polls through it as it would poll the
   * upstream, and each polled item is the callbacks' next; in {@code SYNC} fusion the end is a null poll or an
   * empty queue (a complete, once), and a poll's exception is an error, rethrown as it came:
   *
   * <pre>{@code
   * public int requestFusion(int m) { if (!(upstream instanceof QueueSubscription)) return NONE; return mode = ((QueueSubscription) upstream).requestFusion(m); }
   * public Object poll() {
   *   Object v; try { v = ((QueueSubscription) upstream).poll(); } catch (Throwable e) { signals.accept(e, ERROR); throw e; }
   *   if (v != null) signals.accept(v, NEXT); else if (mode == SYNC) syncDone();
   *   return v;
   * }
   * public boolean isEmpty() { boolean e = ((QueueSubscription) upstream).isEmpty(); if (e && mode == SYNC) syncDone(); return e; }
   * private void syncDone() { if (!done) { done = true; signals.accept(null, COMPLETE); } }
   * public int size() and public void clear(): the upstream's
   * }</pre>
   */
  private static void queueSubscription(ClassWriter cw, String self) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "requestFusion", "(I)I", null, null);
    Label fusing = new Label();
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.INSTANCEOF, QUEUE_SUBSCRIPTION);
    mv.visitJumpInsn(Opcodes.IFNE, fusing);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitLabel(fusing);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    upstreamQueue(mv, self);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, QUEUE_SUBSCRIPTION, "requestFusion", "(I)I", true);
    mv.visitInsn(Opcodes.DUP_X1);
    mv.visitFieldInsn(Opcodes.PUTFIELD, self, "mode", "I");
    mv.visitInsn(Opcodes.IRETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "poll", "()Ljava/lang/Object;", null, null);
    Label start = new Label();
    Label polled = new Label();
    Label failed = new Label();
    Label empty = new Label();
    Label out = new Label();
    mv.visitTryCatchBlock(start, polled, failed, "java/lang/Throwable");
    mv.visitLabel(start);
    upstreamQueue(mv, self);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, QUEUE_SUBSCRIPTION, "poll", "()Ljava/lang/Object;", true);
    mv.visitLabel(polled);
    mv.visitVarInsn(Opcodes.ASTORE, 1);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitJumpInsn(Opcodes.IFNULL, empty);
    signal(mv, self, true, ReactorSignals.NEXT);
    mv.visitJumpInsn(Opcodes.GOTO, out);
    mv.visitLabel(empty);
    syncDone(mv, self, out);
    mv.visitLabel(out);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitLabel(failed);
    mv.visitVarInsn(Opcodes.ASTORE, 2);
    getField(mv, self, "signals", "L" + SIGNALS + ";");
    mv.visitVarInsn(Opcodes.ALOAD, 2);
    mv.visitIntInsn(Opcodes.BIPUSH, ReactorSignals.ERROR);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, SIGNALS, "accept", "(Ljava/lang/Object;I)V", true);
    mv.visitVarInsn(Opcodes.ALOAD, 2);
    mv.visitInsn(Opcodes.ATHROW);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "isEmpty", "()Z", null, null);
    Label answer = new Label();
    upstreamQueue(mv, self);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, QUEUE_SUBSCRIPTION, "isEmpty", "()Z", true);
    mv.visitVarInsn(Opcodes.ISTORE, 1);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitJumpInsn(Opcodes.IFEQ, answer);
    syncDone(mv, self, answer);
    mv.visitLabel(answer);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitInsn(Opcodes.IRETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PRIVATE, "syncDone", "()V", null, null);
    Label already = new Label();
    getField(mv, self, "done", "Z");
    mv.visitJumpInsn(Opcodes.IFNE, already);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitFieldInsn(Opcodes.PUTFIELD, self, "done", "Z");
    signal(mv, self, false, ReactorSignals.COMPLETE);
    mv.visitLabel(already);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "size", "()I", null, null);
    upstreamQueue(mv, self);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, QUEUE_SUBSCRIPTION, "size", "()I", true);
    mv.visitInsn(Opcodes.IRETURN);
    end(mv);

    mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "clear", "()V", null, null);
    upstreamQueue(mv, self);
    mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, QUEUE_SUBSCRIPTION, "clear", "()V", true);
    mv.visitInsn(Opcodes.RETURN);
    end(mv);
  }

  /** {@code if (mode == SYNC) syncDone();}, jumping to {@code otherwise} when fusion is not synchronous. */
  private static void syncDone(MethodVisitor mv, String self, Label otherwise) {
    getField(mv, self, "mode", "I");
    mv.visitIntInsn(Opcodes.BIPUSH, SYNC);
    mv.visitJumpInsn(Opcodes.IF_ICMPNE, otherwise);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, self, "syncDone", "()V", false);
  }

  private static void upstreamQueue(MethodVisitor mv, String self) {
    getField(mv, self, "upstream", "Ljava/lang/Object;");
    mv.visitTypeInsn(Opcodes.CHECKCAST, QUEUE_SUBSCRIPTION);
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
