package dev.agentoperator.runner.tools.web;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns HTML into plain text a model can read: the title, then the body with block elements on
 * their own lines, list items marked with {@code - }, headings with {@code #}, and scripts, styles
 * and other invisible elements dropped. jsoup parses; this class only decides where lines break.
 */
public final class HtmlText {

  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "dd",
          "div",
          "dl",
          "dt",
          "fieldset",
          "figcaption",
          "figure",
          "footer",
          "form",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "header",
          "hr",
          "li",
          "main",
          "nav",
          "ol",
          "p",
          "pre",
          "section",
          "table",
          "tr",
          "ul",
          "br",
          "summary",
          "details");
  private static final Set<String> INVISIBLE =
      Set.of("script", "style", "noscript", "template", "svg", "head", "iframe", "object");

  private HtmlText() {}

  /** The readable text of an HTML document. */
  public static String toText(String html, String baseUrl) {
    Document document = Jsoup.parse(html, baseUrl);
    String title = document.title().strip();
    document.select(String.join(",", INVISIBLE)).remove();
    StringBuilder out = new StringBuilder();
    if (!title.isEmpty()) {
      out.append("Title: ").append(title).append("\n\n");
    }
    NodeTraversor.traverse(new TextCollector(out), document.body());
    return tidy(out.toString());
  }

  /** Drops trailing spaces and runs of blank lines; leading spaces are kept for {@code pre}. */
  private static String tidy(String text) {
    StringBuilder out = new StringBuilder();
    boolean previousBlank = true;
    for (String line : text.split("\n", -1)) {
      String trimmed = line.stripTrailing();
      boolean blank = trimmed.isEmpty();
      if (!(blank && previousBlank)) {
        out.append(trimmed).append('\n');
      }
      previousBlank = blank;
    }
    return out.toString().strip() + "\n";
  }

  private static final class TextCollector implements NodeVisitor {

    private static final Set<String> PARAGRAPHS =
        Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "table", "ul", "ol", "blockquote");

    private final StringBuilder out;
    private int preDepth;

    TextCollector(StringBuilder out) {
      this.out = out;
    }

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode text) {
        appendText(text);
      } else if (node instanceof Element element) {
        String tag = element.normalName();
        if (PARAGRAPHS.contains(tag)) {
          blankLine();
        } else if (BLOCKS.contains(tag)) {
          newLine();
        }
        if (tag.equals("pre")) {
          preDepth++;
        } else if (tag.matches("h[1-6]")) {
          out.append("#".repeat(tag.charAt(1) - '0')).append(' ');
        } else if (tag.equals("li")) {
          out.append("- ");
        } else if (tag.equals("td") || tag.equals("th")) {
          out.append(atLineStart() ? "| " : " | ");
        }
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (node instanceof Element element) {
        String tag = element.normalName();
        if (tag.equals("pre")) {
          preDepth--;
        }
        if (PARAGRAPHS.contains(tag)) {
          blankLine();
        } else if (BLOCKS.contains(tag)) {
          newLine();
        }
      }
    }

    private void appendText(TextNode text) {
      if (preDepth > 0) {
        out.append(text.getWholeText());
        return;
      }
      String collapsed = text.getWholeText().replaceAll("\\s+", " ");
      if (atLineStart() || endsWithSpace()) {
        collapsed = collapsed.stripLeading();
      }
      out.append(collapsed);
    }

    private boolean atLineStart() {
      return out.isEmpty() || out.charAt(out.length() - 1) == '\n';
    }

    private boolean endsWithSpace() {
      return !out.isEmpty() && out.charAt(out.length() - 1) == ' ';
    }

    private void newLine() {
      if (!atLineStart()) {
        out.append('\n');
      }
    }

    private void blankLine() {
      newLine();
      out.append('\n');
    }
  }
}
