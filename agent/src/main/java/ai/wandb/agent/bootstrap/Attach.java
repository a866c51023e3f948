package ai.wandb.agent.bootstrap;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Properties;

/**
 * {@code java -jar wandb-agent.jar attach <pid> [key=value,...]} loads this jar into a running JVM of the
 * same user through the Attach API; {@code attach --list} shows the JVMs it could attach to. The Attach API
 * ({@code jdk.attach}) is reached by reflection: the agent is built for Java 8, where it lives in a JDK's
 * tools.jar. Exit status 0 when attached (or listed), 1 when the target refused or could not be reached,
 * 2 on a usage error.
 */
final class Attach {
  /** Set in the target by a started agent (premain or agentmain); outside {@code wandb.}, which is config. */
  static final String MARKER_PROPERTY = "ai.wandb.agent.version";

  private static final String VIRTUAL_MACHINE = "com.sun.tools.attach.VirtualMachine";
  private static final String DESCRIPTOR = "com.sun.tools.attach.VirtualMachineDescriptor";

  private Attach() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || args.length > 3 || args[1].startsWith("-") && !"--list".equals(args[1])) {
      err.println("usage: java -jar wandb-agent.jar attach <pid> [key=value,...] | attach --list");
      return 2;
    }
    Class<?> vmClass;
    try {
      vmClass = Class.forName(VIRTUAL_MACHINE);
    } catch (ClassNotFoundException | LinkageError e) {
      err.println("wandb-agent: attach needs the JDK's Attach API (module jdk.attach), which this Java ("
          + System.getProperty("java.home") + ") lacks; run it with a JDK's java");
      return 1;
    }
    try {
      if ("--list".equals(args[1])) {
        return list(vmClass, out);
      }
      return attach(vmClass, args[1], args.length == 3 ? args[2] : null, out, err);
    } catch (InvocationTargetException e) {
      err.println("wandb-agent: " + e.getCause());
      return 1;
    } catch (ReflectiveOperationException e) {
      err.println("wandb-agent: this JDK's Attach API is not the one expected: " + e);
      return 1;
    }
  }

  private static int list(Class<?> vmClass, PrintStream out) throws ReflectiveOperationException {
    String self = selfPid();
    List<?> descriptors = (List<?>) vmClass.getMethod("list").invoke(null);
    out.println("PID      MAIN CLASS (JVMs of this user that accept attach)");
    for (Object descriptor : descriptors) {
      String id = (String) call(DESCRIPTOR, descriptor, "id");
      if (!id.equals(self)) {
        String name = ((String) call(DESCRIPTOR, descriptor, "displayName")).trim();
        // The main class or jar, without the arguments (they may hold anything).
        out.println(pad(id) + " " + (name.isEmpty() ? "(unknown main class)" : name.split(" ")[0]));
      }
    }
    return 0;
  }

  private static int attach(Class<?> vmClass, String pid, String options, PrintStream out, PrintStream err)
      throws ReflectiveOperationException {
    if (!pid.matches("[0-9]+")) {
      err.println("wandb-agent: '" + pid + "' is not a process id; see attach --list");
      return 2;
    }
    Object vm;
    try {
      vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
    } catch (InvocationTargetException e) {
      err.println("wandb-agent: cannot attach to " + pid + ": " + refusal(e.getCause()));
      return 1;
    }
    try {
      Properties properties = (Properties) call(VIRTUAL_MACHINE, vm, "getSystemProperties");
      String running = properties.getProperty(MARKER_PROPERTY);
      if (running != null) {
        err.println("wandb-agent: process " + pid + " already runs wandb-agent " + running + "; not attached again");
        return 1;
      }
      String jar = ownJar();
      if (jar == null) {
        err.println("wandb-agent: cannot tell where this agent jar is; run it as java -jar wandb-agent.jar");
        return 1;
      }
      try {
        vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, jar, options);
      } catch (InvocationTargetException e) {
        err.println("wandb-agent: process " + pid + " did not load the agent: " + e.getCause());
        return 1;
      }
      String main = properties.getProperty("sun.java.command", "");
      out.println("wandb-agent: attached to " + pid + (main.isEmpty() ? "" : " (" + main.split(" ")[0] + ")")
          + "; calls it makes from now on are traced; the agent's lines are on that process's stderr;"
          + " it stays until the process exits (there is no detach)");
      return 0;
    } finally {
      try {
        call(VIRTUAL_MACHINE, vm, "detach");
      } catch (ReflectiveOperationException ignored) {
        // Only the attach connection closes here; the agent stays loaded.
      }
    }
  }

  /** What the Attach API's exception means for the user. */
  static String refusal(Throwable cause) {
    String message = String.valueOf(cause.getMessage());
    if (message.contains("does not support the attach mechanism")) {
      return "the JVM forbids attach (it was started with -XX:+DisableAttachMechanism) or is not a"
          + " HotSpot-compatible JVM; start it with -javaagent:wandb-agent.jar instead";
    }
    if (message.contains("No such process")) {
      return "no such process (see attach --list)";
    }
    return message + " (attach works only between processes of one user, on a HotSpot-compatible JVM)";
  }

  private static String ownJar() {
    try {
      File jar = new File(Attach.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return jar.isFile() ? jar.getAbsolutePath() : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String selfPid() {
    String name = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    int at = name.indexOf('@');
    return at > 0 ? name.substring(0, at) : name;
  }

  /** Through the public API type: the implementations are in packages jdk.attach does not export. */
  private static Object call(String apiType, Object target, String method) throws ReflectiveOperationException {
    Method m = Class.forName(apiType).getMethod(method);
    return m.invoke(target);
  }

  private static String pad(String id) {
    StringBuilder padded = new StringBuilder(id);
    while (padded.length() < 8) {
      padded.append(' ');
    }
    return padded.toString();
  }
}
