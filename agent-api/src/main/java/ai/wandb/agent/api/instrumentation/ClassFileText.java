package ai.wandb.agent.api.instrumentation;

/** Whether a class file contains a text (a constant-pool entry's UTF-8 bytes), without parsing it. */
final class ClassFileText {
  private ClassFileText() {}

  static boolean contains(byte[] classFile, byte[] text) {
    if (text.length == 0) {
      return true;
    }
    byte first = text[0];
    int last = classFile.length - text.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (classFile[i] != first) {
        continue;
      }
      for (int j = 1; j < text.length; j++) {
        if (classFile[i + j] != text[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
