package ai.wandb.agent.api.instrumentation;

import java.util.List;

/**
 * A type instrumentation whose methods are chosen by what each class file declares (annotations,
 * methods named by configuration) rather than by fixed rules: the installer asks it for the advice of
 * every class its matcher took, with the class file it already has, so no class is loaded to find out.
 */
public interface ClassFileInstrumentation extends TypeInstrumentation {
  /** The advice for this class file; empty when none of its methods qualifies. */
  List<MethodAdvice> methodAdvice(String binaryName, byte[] classFile);
}
