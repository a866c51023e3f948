package ai.wandb.agent.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A plain Spring Boot web app with no AI (embedded Tomcat, one controller): started and closed once, for
 * what the agent adds to the startup of a framework app it has nothing to trace in. Exits once the
 * context is up and has been closed.
 */
@SpringBootApplication
public class SpringBootWebApp {
    @RestController
    static class Health {
        @GetMapping("/health")
        String health() {
            return "ok";
        }
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SpringBootWebApp.class);
        ConfigurableApplicationContext context = app.run("--server.port=0", "--spring.main.banner-mode=off");
        context.close();
    }
}
