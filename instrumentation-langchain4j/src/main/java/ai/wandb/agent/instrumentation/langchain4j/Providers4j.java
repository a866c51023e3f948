package ai.wandb.agent.instrumentation.langchain4j;

import ai.wandb.agent.api.Reflect;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** {@code gen_ai.provider.name} of a LangChain4j model, from the package of its class. */
final class Providers4j {
  private static final String MODEL_PACKAGE = "dev.langchain4j.model.";
  private static final Map<String, String> BY_PACKAGE = new HashMap<String, String>();

  static {
    BY_PACKAGE.put("openai", "openai");
    BY_PACKAGE.put("openaiofficial", "openai");
    BY_PACKAGE.put("azure", "azure.ai.openai");
    BY_PACKAGE.put("anthropic", "anthropic");
    BY_PACKAGE.put("bedrock", "aws.bedrock");
    BY_PACKAGE.put("googleai", "gcp.gemini");
    BY_PACKAGE.put("vertexai", "gcp.vertex_ai");
    BY_PACKAGE.put("mistralai", "mistral_ai");
    BY_PACKAGE.put("ollama", "ollama");
  }

  private Providers4j() {}

  static String of(Object model) {
    if (model == null) {
      return null;
    }
    String className = model.getClass().getName();
    if (className.startsWith(MODEL_PACKAGE)) {
      String rest = className.substring(MODEL_PACKAGE.length());
      int dot = rest.indexOf('.');
      if (dot > 0) {
        String pkg = rest.substring(0, dot);
        String known = BY_PACKAGE.get(pkg);
        return known != null ? known : pkg;
      }
    }
    // Models outside LangChain4j's own packages: the ModelProvider they declare, if it says anything.
    String declared = Reflect.string(model, "provider");
    if (declared != null && !"OTHER".equals(declared)) {
      return declared.toLowerCase(Locale.ROOT);
    }
    return model.getClass().getSimpleName();
  }
}
