package soko.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * Measurements taken in the browser from computed styles: WCAG contrast ratios of text and focus
 * rings, and sideways overflow. The formulas are WCAG 2.2's (relative luminance of sRGB, ratio
 * (L1 + 0.05) / (L2 + 0.05)); a colour with alpha is composited over what lies behind it.
 */
final class PageChecks {
  private PageChecks() {}

  /** Shared by the scripts below: colour parsing, compositing, luminance, the backdrop of an element. */
  private static final String COLOUR = """
      const parse = (c) => {
        const m = /^rgba?\\(([^)]*)\\)$/.exec(c.trim());
        if (!m) throw new Error('cannot read the colour ' + c);
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
      };
      const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
      const lum = (c) => {
        const ch = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
      };
      const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
      const backdrop = (e) => {
        const layers = [];
        for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
          const c = parse(getComputedStyle(n).backgroundColor);
          if (c[3] > 0) layers.push(c);
          if (c[3] === 1) break;
        }
        let base = [255, 255, 255, 1];
        if (layers.length === 0 || layers[layers.length - 1][3] < 1) layers.push(base);
        base = layers.pop();
        while (layers.length) base = over(layers.pop(), base);
        return base;
      };
      const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
      const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string'
        ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
      """;

  /** One text's contrast: where, the text, its colours, the ratio and the ratio it needs. */
  record TextContrast(String where, String text, String fg, String bg, double ratio, double needed) {}

  /**
   * Every rendered text on the page (and in an open dialog) with its contrast; disabled controls
   * are exempt (WCAG 1.4.3), as is text clipped to a pixel for screen readers.
   */
  @SuppressWarnings("unchecked")
  static List<TextContrast> textContrasts(ChromeDriver driver) {
    List<Map<String, Object>> raw = (List<Map<String, Object>>) driver.executeScript(COLOUR + """
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
          const own = [...e.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
          const placeholder = e.tagName === 'INPUT' && e.placeholder && !e.value;
          if (!own && !placeholder) continue;
          const rects = e.getClientRects();
          if (rects.length === 0) continue;
          const r = e.getBoundingClientRect();
          if (r.width <= 1 && r.height <= 1) continue;
          const cs = getComputedStyle(e);
          if (cs.visibility !== 'visible' || cs.display === 'none') continue;
          if (e.closest('button:disabled, input:disabled')) continue;
          const bg = backdrop(e);
          const texts = [];
          if (own) texts.push([own, cs]);
          if (placeholder) texts.push([e.placeholder, getComputedStyle(e, '::placeholder')]);
          for (const [text, style] of texts) {
            const fg = over(parse(style.color), bg);
            const size = parseFloat(style.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
            out.push({ where: describe(e), text: text.slice(0, 60), fg: hex(fg), bg: hex(bg), ratio: ratio(fg, bg), needed: large ? 3 : 4.5 });
          }
        }
        return out;
        """);
    List<TextContrast> out = new ArrayList<>();
    for (Map<String, Object> m : raw) {
      out.add(new TextContrast((String) m.get("where"), (String) m.get("text"), (String) m.get("fg"), (String) m.get("bg"),
          ((Number) m.get("ratio")).doubleValue(), ((Number) m.get("needed")).doubleValue()));
    }
    return out;
  }

  /** A graphic's colour against what lies next to it: WCAG 1.4.11 asks 3:1 for parts needed to understand the page. */
  record Graphic(String where, String fg, String bg, double ratio) {}

  /** The storage bars against their tracks, and the edges of text fields against their surroundings. */
  @SuppressWarnings("unchecked")
  static List<Graphic> graphics(ChromeDriver driver) {
    List<Map<String, Object>> raw = (List<Map<String, Object>>) driver.executeScript(COLOUR + """
        const out = [];
        for (const b of document.querySelectorAll('#storage-chart .bar')) {
          const track = backdrop(b.parentElement);
          const fg = over(parse(getComputedStyle(b).backgroundColor), track);
          out.push({ where: 'bar ' + b.dataset.kind, fg: hex(fg), bg: hex(track), ratio: ratio(fg, track) });
        }
        for (const i of document.querySelectorAll('input')) {
          if (i.getClientRects().length === 0 || i.disabled) continue;
          const around = backdrop(i.parentElement);
          const edge = over(parse(getComputedStyle(i).borderTopColor), around);
          out.push({ where: describe(i) + ' border', fg: hex(edge), bg: hex(around), ratio: ratio(edge, around) });
        }
        return out;
        """);
    List<Graphic> out = new ArrayList<>();
    for (Map<String, Object> m : raw) {
      out.add(new Graphic((String) m.get("where"), (String) m.get("fg"), (String) m.get("bg"),
          ((Number) m.get("ratio")).doubleValue()));
    }
    return out;
  }

  /** The focused element's ring: its colour against what lies just outside it (WCAG 1.4.11 asks 3:1). */
  record FocusRing(String where, String style, String ring, String behind, double ratio) {}

  @SuppressWarnings("unchecked")
  static FocusRing focusRing(ChromeDriver driver) {
    Map<String, Object> m = (Map<String, Object>) driver.executeScript(COLOUR + """
        const e = document.activeElement;
        const cs = getComputedStyle(e);
        const width = parseFloat(cs.outlineWidth) || 0;
        if (cs.outlineStyle === 'none' || width === 0) {
          return { where: describe(e), style: 'none', ring: '', behind: '', ratio: 0 };
        }
        const ring = parse(cs.outlineColor);
        const r = e.getBoundingClientRect();
        const d = parseFloat(cs.outlineOffset) + width / 2;
        const points = [[r.left - d, r.top + r.height / 2], [r.right + d, r.top + r.height / 2],
          [r.left + r.width / 2, r.top - d], [r.left + r.width / 2, r.bottom + d]];
        const [x, y] = points.find(([px, py]) => px >= 0 && py >= 0 && px < innerWidth && py < innerHeight) || points[0];
        const hit = document.elementsFromPoint(x, y).find((h) => h !== e && !e.contains(h)) || document.documentElement;
        const behind = backdrop(hit);
        const fg = over(ring, behind);
        return { where: describe(e), style: cs.outlineStyle + ' ' + width + 'px', ring: hex(fg), behind: hex(behind), ratio: ratio(fg, behind) };
        """);
    return new FocusRing((String) m.get("where"), (String) m.get("style"), (String) m.get("ring"), (String) m.get("behind"),
        ((Number) m.get("ratio")).doubleValue());
  }

  /**
   * Tabs through the whole page from its start and measures the focus ring of every stop, until
   * focus comes back to the first stop (or leaves the page).
   */
  static List<FocusRing> focusRingsByTab(ChromeDriver driver) {
    // Focus starts from the top: the body, focused for a moment, becomes the starting point of Tab.
    driver.executeScript("""
        window.scrollTo(0, 0);
        document.body.tabIndex = -1;
        document.body.focus();
        document.body.removeAttribute('tabindex');
        """);
    List<FocusRing> out = new ArrayList<>();
    String first = null;
    for (int i = 0; i < 400; i++) {
      new Actions(driver).sendKeys(Keys.TAB).perform();
      String id = (String) driver.executeScript("""
          const e = document.activeElement;
          if (!e || e === document.body) return null;
          if (!e.dataset.tabStop) e.dataset.tabStop = String(Math.random());
          return e.dataset.tabStop;
          """);
      if (id == null || id.equals(first)) {
        if (first != null) {
          break;
        }
        continue;
      }
      if (first == null) {
        first = id;
      }
      out.add(focusRing(driver));
    }
    return out;
  }

  /** [scrollWidth, clientWidth] of the page: more of the first than the second is a sideways scroll. */
  @SuppressWarnings("unchecked")
  static List<Long> widths(ChromeDriver driver) {
    return (List<Long>) driver.executeScript(
        "const d = document.documentElement; return [d.scrollWidth, d.clientWidth]");
  }

  /** The boxes that scroll sideways inside the page (a table wider than its card hides its last columns). */
  @SuppressWarnings("unchecked")
  static List<String> sidewaysScrollers(ChromeDriver driver) {
    return (List<String>) driver.executeScript("""
        return [...document.querySelectorAll('.table-scroll, .card, .dialog-content')]
          .filter((e) => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth + 1)
          .map((e) => (e.firstElementChild ? e.firstElementChild.id || e.firstElementChild.tagName : e.className)
            + ' ' + e.scrollWidth + ' > ' + e.clientWidth);
        """);
  }

  /** The open dialog's box and its last button's box against the viewport: [left, top, right, bottom] each. */
  @SuppressWarnings("unchecked")
  static Map<String, List<Number>> dialogBoxes(ChromeDriver driver) {
    return (Map<String, List<Number>>) driver.executeScript("""
        const d = document.querySelector('dialog[open]');
        const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
        const buttons = [...d.querySelectorAll('.dialog-actions button')];
        return { viewport: [0, 0, innerWidth, innerHeight], dialog: box(d), first: box(buttons[0]), last: box(buttons[buttons.length - 1]) };
        """);
  }
}
