package example.wildfly;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /orders/order?item=..&quantity=..}: 200 with the result, 400 with the refusal. */
@WebServlet("/order")
public class OrderServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Orders orders = new Orders();

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      String placed =
          orders.place(req.getParameter("item"), Integer.parseInt(req.getParameter("quantity")));
      resp.getWriter().print(placed);
    } catch (IllegalArgumentException e) {
      resp.setStatus(400);
      resp.getWriter().print(e.getMessage());
    }
  }
}
