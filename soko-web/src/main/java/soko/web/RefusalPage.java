package soko.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A refusal as a small HTML page, for a person whose browser opened an address of this server:
 * above all a page reloaded after {@code soko serve} restarted, whose key belongs to the old run.
 * The status is the refusal's; the text comes from the refusal and is escaped.
 */
final class RefusalPage {
  private RefusalPage() {}

  static void send(HttpExchange ex, Refusal r) throws IOException {
    String title;
    String body;
    if (r.type().equals("key")) {
      title = "This Soko page needs a fresh address";
      body = "<p>Each run of <code>soko serve</code> has its own key, and this address carries an old one or none:"
          + " the Soko that served it has stopped or restarted.</p>"
          + "<p>Run <code>soko serve</code> again (or look in the terminal where it runs) and open the address it"
          + " prints; it ends with <code>?key=…</code>.</p>";
    } else {
      title = "Soko refused this request";
      body = "<p>" + escape(r.getMessage()) + "</p>";
    }
    String html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Soko 倉庫 · %1$s</title>
          <link rel="icon" href="data:,">
          <link rel="stylesheet" href="/app.css">
        </head>
        <body data-refused="%3$s">
          <header class="top"><div class="wrap"><h1>Soko <span lang="ja">倉庫</span></h1></div></header>
          <main class="wrap"><section class="card refused"><h2>%1$s</h2>%2$s</section></main>
        </body>
        </html>
        """.formatted(escape(title), body, escape(r.type()));
    ex.getResponseHeaders().set("Content-Security-Policy", Router.CSP);
    Router.send(ex, r.status(), "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
