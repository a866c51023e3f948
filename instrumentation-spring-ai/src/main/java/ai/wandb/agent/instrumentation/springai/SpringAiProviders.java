package ai.wandb.agent.instrumentation.springai;

/**
 * {@code gen_ai.provider.name} from the model class: each Spring AI provider module keeps its models in
 * a package of its own ({@code org.springframework.ai.openai.OpenAiChatModel}, ...).
 */
final class SpringAiProviders {
  private static final String[][] PACKAGES = {
      {"org.springframework.ai.azure.openai.", "azure.openai"},
      {"org.springframework.ai.openai.", "openai"},
      {"org.springframework.ai.anthropic.", "anthropic"},
      {"org.springframework.ai.ollama.", "ollama"},
      {"org.springframework.ai.vertexai.", "gcp.vertex_ai"},
      {"org.springframework.ai.google.genai.", "gcp.gen_ai"},
      {"org.springframework.ai.bedrock.", "aws.bedrock"},
      {"org.springframework.ai.mistralai.", "mistral_ai"},
      {"org.springframework.ai.deepseek.", "deepseek"},
      {"org.springframework.ai.minimax.", "minimax"},
      {"org.springframework.ai.zhipuai.", "zhipuai"},
      {"org.springframework.ai.moonshot.", "moonshot"},
      {"org.springframework.ai.qianfan.", "qianfan"},
      {"org.springframework.ai.huggingface.", "huggingface"},
      {"org.springframework.ai.oci.", "oci.genai"},
      {"org.springframework.ai.watsonx.", "ibm.watsonx.ai"},
      {"org.springframework.ai.transformers.", "onnx"},
      {"org.springframework.ai.postgresml.", "postgresml"},
  };

  private SpringAiProviders() {}

  /** The provider of a model object; an app's own model (a wrapper or a fake) is {@code spring_ai}. */
  static String of(Object model) {
    return model == null ? null : of(model.getClass().getName());
  }

  /** The provider of a model class, by its binary name. */
  static String of(String name) {
    for (String[] entry : PACKAGES) {
      if (name.startsWith(entry[0])) {
        return entry[1];
      }
    }
    return "spring_ai";
  }
}
