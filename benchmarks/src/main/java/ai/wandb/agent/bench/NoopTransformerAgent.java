package ai.wandb.agent.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The floor under every {@code -javaagent} that weaves classes: a premain that registers one class-file
 * transformer (retransform-capable, as wandb-agent's is) that changes nothing. With any transformer
 * registered, the JVM hands each class it loads from then on to Java as a byte array, reading CDS-archived
 * JDK classes' bytes from the runtime image to do so; what that costs an app (startup time, peak RSS) is
 * not the agent's own work, and the startup rows show it beside the agent.
 */
public final class NoopTransformerAgent {
    private static Path jar;

    private NoopTransformerAgent() {}

    public static void premain(String args, Instrumentation instrumentation) {
        instrumentation.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> type, ProtectionDomain domain, byte[] bytes) {
                return null;
            }
        }, instrumentation.isRetransformClassesSupported());
    }

    /** A jar of this class alone with it as the premain class, written once per benchmark JVM. */
    static synchronized Path jar() {
        if (jar == null) {
            try {
                Path file = Files.createTempFile("noop-transformer-agent", ".jar");
                file.toFile().deleteOnExit();
                Manifest manifest = new Manifest();
                manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                manifest.getMainAttributes().putValue("Premain-Class", NoopTransformerAgent.class.getName());
                manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
                String entry = NoopTransformerAgent.class.getName().replace('.', '/') + ".class";
                String transformer = NoopTransformerAgent.class.getName().replace('.', '/') + "$1.class";
                try (OutputStream out = Files.newOutputStream(file); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
                    for (String name : new String[] {entry, transformer}) {
                        jarOut.putNextEntry(new JarEntry(name));
                        try (InputStream in = NoopTransformerAgent.class.getClassLoader().getResourceAsStream(name)) {
                            in.transferTo(jarOut);
                        }
                        jarOut.closeEntry();
                    }
                }
                jar = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jar;
    }
}
