package ai.wandb.agent.instrumentation.methods;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A team's own marker annotation, the kind wandb.trace.annotations names; class retention, as many are. */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
@interface Traced {}
