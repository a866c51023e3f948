package ai.wandb.agent.bench;

import java.util.List;

/**
 * An application method the agent traces only because {@code wandb.trace.methods} names it: the hook path
 * alone (woven call, {@code Hooks.enter}/{@code exit}, span start and end, queue offer) with no library
 * work around it. With the agent, {@link #useExporterWithoutSinks} makes the listener an {@code Exporter}
 * without sinks, so the queue and its worker are real and nothing is written.
 */
final class TracedStep {
    static final String TRACE_METHODS = TracedStep.class.getName() + "[answer]";
    static final List<String> AGENT_PROPERTIES = List.of("-Dwandb.trace.methods=" + TRACE_METHODS);

    String answer(String question) {
        return question;
    }

    /** {@code Tracer.setListener(new Exporter(List.of(), 2048, 1000))} through the agent jar; false without the agent. */
    static boolean useExporterWithoutSinks() {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        try {
            Class<?> tracer = Class.forName("ai.wandb.agent.api.Tracer", true, loader);
            Class<?> listener = Class.forName("ai.wandb.agent.api.SpanListener", true, loader);
            Object exporter = Class.forName("ai.wandb.agent.export.Exporter", true, loader)
                    .getConstructor(List.class, int.class, long.class).newInstance(List.of(), 2048, 1000L);
            tracer.getMethod("setListener", listener).invoke(null, exporter);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
