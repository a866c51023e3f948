package ai.wandb.smoke.clash;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Starts {@link ClashApp} the way Spring Boot's launcher does: the dependencies are jars nested in
 * {@code BOOT-INF/lib} of this jar, loaded by a class loader of the launcher's own. That loader is
 * child-first; its parent is the platform loader ({@code -Dlauncher.parent=platform}, the default: it
 * cannot see anything on the class path, the agent included) or the system loader
 * ({@code -Dlauncher.parent=system}).
 */
public final class NestedJarLauncher {
  private NestedJarLauncher() {}

  public static void main(String[] args) throws Exception {
    Path self = Paths.get(NestedJarLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path unpacked = Files.createTempDirectory("nested-jars");
    List<URL> urls = new ArrayList<>();
    urls.add(self.toUri().toURL());
    try (JarFile jar = new JarFile(self.toFile())) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
          Path target = unpacked.resolve(entry.getName().substring("BOOT-INF/lib/".length()));
          try (InputStream in = jar.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
          target.toFile().deleteOnExit();
          urls.add(target.toUri().toURL());
        }
      }
    }
    unpacked.toFile().deleteOnExit();
    ClassLoader parent = "system".equals(System.getProperty("launcher.parent"))
        ? ClassLoader.getSystemClassLoader() : ClassLoader.getPlatformClassLoader();
    ChildFirstClassLoader loader = new ChildFirstClassLoader(urls.toArray(new URL[0]), parent);
    Thread.currentThread().setContextClassLoader(loader);
    Method main = loader.loadClass(ClashApp.class.getName()).getMethod("main", String[].class);
    main.invoke(null, (Object) args);
  }

  /** Looks in its own jars first, then asks the parent; the JDK's own classes always come from the parent. */
  static final class ChildFirstClassLoader extends URLClassLoader {
    static {
      registerAsParallelCapable();
    }

    ChildFirstClassLoader(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null && !name.startsWith("java.")) {
          try {
            loaded = findClass(name);
          } catch (ClassNotFoundException e) {
            // not in the nested jars: the parent's, below
          }
        }
        if (loaded == null) {
          loaded = super.loadClass(name, false);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    @Override
    public URL getResource(String name) {
      URL own = findResource(name);
      return own != null ? own : super.getResource(name);
    }
  }

}
