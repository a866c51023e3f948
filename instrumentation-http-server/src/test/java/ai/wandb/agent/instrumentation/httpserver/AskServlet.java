package ai.wandb.agent.instrumentation.httpserver;

import ai.wandb.agent.api.SpanKind;
import ai.wandb.agent.api.Tracer;
import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** POST asks the "model" twice (LLM spans, as the openai-java instrumentation makes); GET does no GenAI work. */
final class AskServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    for (int i = 0; i < 2; i++) {
      Tracer.end(Tracer.start("openai.chat.completions.create", SpanKind.LLM, null, null), null, null);
    }
    response.setStatus(201);
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException {
    if (request.getRequestURI().equals("/fail")) {
      throw new ServletException("broken");
    }
    if (request.getRequestURI().equals("/forward")) {
      try {
        // A nested dispatch on the same thread, as RequestDispatcher.forward makes.
        service((javax.servlet.ServletRequest) Requests.request("POST", "/ask", null),
            (javax.servlet.ServletResponse) Requests.response());
      } catch (IOException e) {
        throw new ServletException(e);
      }
    }
  }
}
