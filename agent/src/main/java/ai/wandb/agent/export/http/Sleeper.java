package ai.wandb.agent.export.http;

/** Waiting between attempts, injectable so retry tests do not sleep. */
public interface Sleeper {
  Sleeper REAL = new Sleeper() {
    @Override
    public void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }
  };

  void sleep(long millis) throws InterruptedException;
}
