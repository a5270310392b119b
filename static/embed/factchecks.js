/* Fact-checks on the publisher's own page (docs/embed.md).
 *
 * Loaded by the desk's /embed.js, which passes on the data-* attributes of the newsroom's
 * <script> tag. Fetches the page's published W3C Web Annotations (one request), finds
 * each passage in the page by its TextQuoteSelector (exact, prefix, suffix; the text
 * position only breaks ties), marks it with a verdict label that opens a popover, and
 * lists every fact-check, found or not, in a box at the end of the article.
 *
 * Never harms the host page: no named globals, no cookies, no inline code and no style
 * written as markup (strict CSP; positions are set through CSSOM, which CSP allows), rules
 * only for "fcx-" classes or in Shadow DOM, no layout change outside the highlights, and
 * silence when the API is down or there is nothing to show.
 * The desk's view fills in CONFIG: the strings of the page's language, the API's address.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const ONCE = Symbol.for("factchecks.embed");
  if (!script || window[ONCE]) return;
  window[ONCE] = true;

  // Filled in by the desk's view: the strings of the page's language, the API's address.
  const CONFIG = /*config*/ { strings: {}, api: "/api/v1/annotations" } /*end*/;
  const t = (key, value) => (CONFIG.strings[key] || key).replace("%s", () => value || "");
  const data = script.dataset;
  const api = new URL(data.api || CONFIG.api, script.src).href;
  // Element names (localName: lower case in HTML and SVG alike).
  const SKIP = /^(script|style|noscript|template|textarea|select|option|iframe|object|svg|canvas|math|head|title|button)$/;
  const BLOCK = /^(address|article|aside|blockquote|br|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|td|th|tr|ul)$/;
  const FLOW = /^(article|aside|blockquote|body|div|main|section|td)$/;

  // --- Text as matching sees it -------------------------------------------------------
  // Case, accents, ligatures, quotation marks, dashes, white space, soft hyphens and
  // zero-width characters never tell two texts apart.
  // foldRun folds a whole string with the browser's own string operations; foldChar is
  // the same for one character (for finding where in a text node a folded position came
  // from). Both give the same lengths, character by character.
  const plain = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f\u00ad\u200b-\u200d\u2060\ufeff]/g, "")
      .replace(/[\u2018\u2019\u201a\u201b\u2032\u2039\u203a]/g, "'")
      .replace(/[\u201c-\u201f\u2033\u00ab\u00bb]/g, '"')
      .replace(/[\u2010-\u2015\u2212]/g, "-")
      .replace(/\s/g, " ")
      .toLowerCase()
      .replace(/ς/g, "σ");
  const folded = new Map();
  const foldChar = (c) => {
    let f = folded.get(c);
    if (f === undefined) folded.set(c, (f = plain(c)));
    return f;
  };
  const foldRun = (text) => plain(text).replace(/ {2,}/g, " ");

  // Text in an element the page does not render (display: none — a collapsed menu, a
  // copy for another screen size) is in the page's text, but a passage found there is
  // not taken: asking each candidate is far cheaper than asking every element of the
  // page. visibility and opacity are not asked: anti-flicker snippets of A/B testing
  // tools hide the whole page with them for a moment, maybe just then.
  const visible = (page, index) => {
    const parent = page.nodes[point(page, index)[0]].parentElement;
    return !parent.checkVisibility || parent.checkVisibility();
  };

  // The page's text, folded, one text node after the other (block boundaries
  // count as a space), with where each node's part starts; where a character of it came
  // from is worked out only for the ends of the passages found (point).
  const pageText = () => {
    const nodes = [];
    const starts = [];
    const spaces = []; // whether the text before the node ended in a space
    const chunks = [];
    let length = 0;
    let space = true; // the text so far is empty or ends in a space
    let breakBefore = false;
    const text = (node) => {
      let part = foldRun(node.data);
      if (part === "") return;
      if (breakBefore && !space) {
        chunks.push(" ");
        length++;
        space = true;
      }
      breakBefore = false;
      nodes.push(node);
      spaces.push(space);
      starts.push(length);
      if (space && part.charCodeAt(0) === 32) part = part.slice(1);
      if (part === "") return;
      chunks.push(part);
      length += part.length;
      space = part.charCodeAt(part.length - 1) === 32;
    };
    const body = document.body;
    let node = body.firstChild;
    while (node) {
      let enter = false;
      if (node.nodeType === 3) text(node);
      else if (node.nodeType === 1) {
        const tag = node.localName;
        if (tag === "br") breakBefore = true;
        else if (!SKIP.test(tag) && !node.hidden && node.className !== "fcx-host") {
          enter = node.firstChild !== null;
          if (BLOCK.test(tag)) breakBefore = true;
        }
      }
      if (enter) {
        node = node.firstChild;
        continue;
      }
      while (node !== body && !node.nextSibling) {
        node = node.parentNode;
        if (BLOCK.test(node.localName)) breakBefore = true;
      }
      node = node === body ? null : node.nextSibling;
    }
    return { nodes, starts, spaces, text: chunks.join("") };
  };

  // Where the folded character at ``index`` came from: [node index, offset, width], by
  // folding that node again character by character as foldRun does.
  const point = (page, index) => {
    let low = 0;
    let high = page.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (page.starts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    const value = page.nodes[low].data;
    let count = page.starts[low];
    let space = page.spaces[low];
    for (let offset = 0, width = 1; offset < value.length; offset += width) {
      const code = value.charCodeAt(offset);
      width = code >= 0xd800 && code < 0xdc00 && offset + 1 < value.length ? 2 : 1;
      // Only the length of the folded character counts, and whether it ends in a space;
      // a space after a space is dropped, as foldRun drops it.
      if (code >= 128) {
        let f = foldChar(value.slice(offset, offset + width));
        if (space) f = f.replace(/^ +/, "");
        if (f === "") continue;
        if (count + f.length > index) return [low, offset, width];
        count += f.length;
        space = f.endsWith(" ");
        continue;
      }
      const blank = code === 32 || (code >= 9 && code <= 13);
      if (blank && space) continue;
      if (count + 1 > index) return [low, offset, width];
      count += 1;
      space = blank;
    }
    return [low, value.length - 1, 1];
  };

  // --- Finding a passage ----------------------------------------------------------------
  const commonTail = (a, b) => {
    let n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  };
  const commonHead = (a, b) => {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };

  // The best [start, end) of the folded quote in the folded page text, or null. Passages
  // come in text order, so the first place to look is from where the previous one was
  // found: an occurrence there whose context agrees in full is taken. Else every
  // occurrence is weighed: the one whose context agrees most, then the one nearest the
  // hint (the passage's relative position in the desk's text).
  const locate = (page, { exact, prefix, suffix }, from, hint) => {
    if (!exact) return null;
    const weigh = (at) => {
      const end = at + exact.length;
      const context =
        commonTail(prefix, page.text.slice(Math.max(0, at - prefix.length - 1), at).trimEnd()) +
        commonHead(suffix, page.text.slice(end, end + suffix.length + 1).trimStart());
      const distance = Math.abs(at / Math.max(1, page.text.length) - hint);
      return { start: at, end, context, distance };
    };
    const near = page.text.indexOf(exact, from);
    if (near === -1 && from === 0) return null;
    if (near !== -1) {
      const found = weigh(near);
      if (found.context === prefix.length + suffix.length && visible(page, near)) return found;
    }
    let best = null;
    for (let at = page.text.indexOf(exact), n = 0; at !== -1 && n < 100; at = page.text.indexOf(exact, at + 1), n++) {
      if (!visible(page, at)) continue;
      const found = weigh(at);
      if (!best || found.context > best.context || (found.context === best.context && found.distance < best.distance)) {
        best = found;
      }
    }
    return best;
  };

  // --- Marking ----------------------------------------------------------------------------
  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  };

  // Split the page's text nodes at every passage boundary, then wrap each passage's
  // pieces in <mark>s; the pieces of one node are in text order.
  const wrap = (page, found) => {
    const cuts = new Map();
    const addCut = ([node, offset]) => {
      if (!cuts.has(node)) cuts.set(node, new Set([0]));
      cuts.get(node).add(offset);
    };
    for (const item of found) {
      item.first = point(page, item.start).slice(0, 2);
      const [index, offset, width] = point(page, item.end - 1);
      // What folds to nothing right after the passage (a combining accent of its last
      // letter, a soft hyphen) belongs to it.
      const data = page.nodes[index].data;
      let end = offset + width;
      while (end < data.length && foldChar(data[end]) === "") end++;
      item.last = [index, end];
      addCut(item.first);
      addCut(item.last);
    }
    const pieces = new Map(); // node index -> [[offset in the original node, text node], …]
    for (const [index, offsets] of cuts) {
      let node = page.nodes[index];
      let base = 0;
      const list = [[0, node]];
      for (const offset of [...offsets].sort((a, b) => a - b)) {
        if (offset <= base || offset >= base + node.length) continue;
        node = node.splitText(offset - base);
        base = offset;
        list.push([offset, node]);
      }
      pieces.set(index, list);
    }
    const inRange = (item) => {
      const result = [];
      for (let index = item.first[0]; index <= item.last[0]; index++) {
        const list = pieces.get(index) || [[0, page.nodes[index]]];
        for (const [offset, node] of list) {
          if (index === item.first[0] && offset < item.first[1]) continue;
          if (index === item.last[0] && offset >= item.last[1]) continue;
          if (node.data.trim() !== "") result.push(node);
        }
      }
      return result;
    };
    const groups = new Map();
    labelGroups = [];
    for (const item of found) {
      item.marks = inRange(item).map((node) => {
        const mark = element("mark", `fcx-mark fcx-v-${item.tone}`);
        mark.dataset.fcx = item.id;
        node.before(mark);
        mark.append(node);
        mark.addEventListener("click", (event) => {
          // A link in the passage stays a link; a passage inside another opens its own.
          const target = event.target;
          if (target.closest("a, .fcx-label") || target.closest("mark.fcx-mark") !== mark) return;
          open(item);
        });
        return mark;
      });
      if (!item.marks.length) continue;
      item.label = element("span", `fcx-label fcx-v-${item.tone}`, item.verdict || t("checked"));
      item.label.tabIndex = 0;
      item.label.dataset.fcx = item.id;
      item.label.setAttribute("role", "button");
      item.label.setAttribute("aria-haspopup", "dialog");
      item.label.setAttribute("aria-expanded", "false");
      item.label.setAttribute("aria-label", t("open", item.verdict || t("checked")));
      item.label.addEventListener("click", (event) => {
        event.preventDefault(); // in a link, the label opens the verdict, not the link
        open(item);
      });
      item.label.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open(item);
        }
      });
      // Passages that start at the same place (two claims on one sentence) put their
      // labels side by side in one group, before the outermost mark.
      const key = item.first.join(":");
      let group = groups.get(key);
      if (!group) {
        group = element("span", "fcx-labels");
        groups.set(key, group);
        labelGroups.push(group);
        item.marks[0].before(group);
      }
      group.append(item.label);
      // Where the claim ends, for screen readers: the last mark's generated content, an
      // empty string with that alternative text (no element, so no layout).
      const end = item.marks[item.marks.length - 1];
      end.classList.add("fcx-end");
      end.dataset.fcxEnd = t("end");
    }
  };

  // Labels of passages that start close together on one line would cover each other:
  // each is moved right past the one before it (a translation, so the text does not
  // move), again when the window's width changes the lines.
  let labelGroups = [];
  const spread = () => {
    for (const group of labelGroups) if (group.style.translate) group.style.translate = "";
    const boxes = labelGroups.map((group) => group.getBoundingClientRect()); // one layout
    let before = null;
    labelGroups.forEach((group, i) => {
      let { left, right, top } = boxes[i];
      if (before && Math.abs(top - before.top) < 4 && left < before.right + 2) {
        const shift = before.right + 2 - left;
        group.style.translate = `${shift}px -105%`;
        left += shift;
        right += shift;
      }
      before = { right, top };
    });
  };

  // --- The popover and the list, in Shadow DOM --------------------------------------------
  const sheet = (css) => {
    const style = new CSSStyleSheet();
    style.replaceSync(css);
    return style;
  };
  const toneCss = (items) =>
    [...new Map(items.map((item) => [item.tone, item.colour])).entries()]
      .map(([tone, colour]) => `.fcx-v-${tone}{--fcx:${colour};--fcx-ink:${ink(colour)}}`)
      .join("");
  const ink = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? "#000" : "#fff";
  };
  const PAGE_CSS = `
mark.fcx-mark.fcx-mark{all:unset;background:color-mix(in srgb,var(--fcx) 18%,transparent);box-shadow:inset 0 -2px var(--fcx);color:inherit;cursor:pointer}
mark.fcx-mark.fcx-mark mark.fcx-mark.fcx-mark{background:color-mix(in srgb,var(--fcx) 30%,transparent)}
span.fcx-labels.fcx-labels{all:unset;position:absolute;z-index:2;translate:0 -105%;display:inline-flex;gap:2px}
span.fcx-label.fcx-label{all:unset;background:var(--fcx);color:var(--fcx-ink);font:600 10px/12px system-ui,sans-serif;padding:0 4px;border-radius:3px;white-space:nowrap;cursor:pointer;user-select:none}
span.fcx-label.fcx-label:focus-visible{outline:2px solid #1a4fd6;outline-offset:2px}
mark.fcx-end.fcx-end::after{content:"" / attr(data-fcx-end)}`;
  const BOX_CSS = `
:host{all:initial;display:block}
:host([data-total]){content-visibility:auto;contain-intrinsic-size:auto 30rem}
*{box-sizing:border-box}
.fcx-v{display:inline-block;background:var(--fcx);color:var(--fcx-ink);font:600 12px/18px system-ui,sans-serif;padding:0 6px;border-radius:3px}
[popover]{inset:auto;margin:0;position:fixed;z-index:2147483647;max-width:min(26rem,calc(100vw - 16px));padding:14px 16px;border:1px solid #8a8f98;border-radius:6px;background:#fff;color:#1b1e23;font:15px/1.45 system-ui,sans-serif;box-shadow:0 6px 24px rgb(0 0 0 / .18)}
[popover]:focus{outline:none}
.head{display:flex;justify-content:space-between;align-items:start;gap:12px}
h2{font:600 16px/1.3 system-ui,sans-serif;margin:0}
p{margin:6px 0 0}
.by{font-size:12px;color:#4a4f57;margin:2px 0 8px}
.verdict{margin:0}
.claim{font-weight:600}
.conclusion{font-size:14px}
.actions{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;font-size:14px}
button{font:inherit;cursor:pointer;border:1px solid #8a8f98;background:#f6f7f9;color:#1b1e23;border-radius:4px;padding:0 8px}
.actions button{border:0;background:none;padding:0;color:#1a4fd6;text-decoration:underline}
button:focus-visible,a:focus-visible{outline:2px solid #1a4fd6;outline-offset:2px}
a{color:#1a4fd6}
section{margin:24px 0;padding:14px 16px;border:1px solid #c4c8cf;border-radius:6px;background:#fff;color:#1b1e23;font:15px/1.45 system-ui,sans-serif}
ol{margin:6px 0 0;padding:0;list-style:none}
li{padding:8px 0;border-top:1px solid #e3e5e9}
li:first-child{border-top:0}
.missing{color:#4a4f57}`;

  let popover = null;
  let current = null;
  const host = (className) => {
    const node = element("div", className);
    const root = node.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [sheet(BOX_CSS), sheet(toneCss(items))];
    return [node, root];
  };
  const safeUrl = (url) => {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch {
      return null;
    }
  };
  // The verdict, the claim as reviewed, the conclusion; the link to the claim page is
  // returned for the caller to place.
  const details = (item, parent) => {
    const verdict = element("p", "verdict");
    verdict.append(element("span", `fcx-v fcx-v-${item.tone}`, item.verdict || t("checked")));
    if (item.claim) verdict.append(" ", element("span", "claim", item.claim));
    parent.append(verdict);
    if (item.conclusion) parent.append(element("p", "conclusion", item.conclusion));
    const href = safeUrl(item.link);
    if (!href) return null;
    const link = element("a", "", t("more"));
    Object.assign(link, { href, target: "_blank", rel: "noopener" });
    return link;
  };
  const line = (className, ...children) => {
    const node = element("p", className);
    node.append(...children.filter(Boolean));
    return node;
  };

  const open = (item) => {
    if (!item.label) return;
    if (!popover) {
      const [node, root] = host("fcx-host");
      document.body.append(node);
      popover = element("div");
      Object.assign(popover, { id: "fcx-popover", tabIndex: -1 });
      popover.setAttribute("role", "dialog");
      popover.setAttribute("aria-labelledby", "fcx-title");
      popover.setAttribute("popover", "auto");
      root.append(popover);
      if (!popover.showPopover) popover.hidden = true;
      // Every way it closes (the close button, Escape, a click elsewhere) comes here
      // first, while the focus is still inside: it goes back to the opening label.
      const closed = () => {
        const opener = current;
        current = null;
        if (!opener) return;
        opener.label.setAttribute("aria-expanded", "false");
        if (root.activeElement) opener.label.focus();
      };
      popover.addEventListener("beforetoggle", (event) => event.newState === "closed" && closed());
      popover.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && !popover.showPopover) close(true);
        if (event.key !== "Tab") return;
        // Not a trap, and no jump to the end of the page where the popover lives: Tab
        // past its last control (Shift+Tab before its first) closes it, back on the label.
        const controls = [...popover.querySelectorAll("button, a[href]")];
        const active = root.activeElement;
        const last = controls[controls.length - 1];
        if (event.shiftKey ? active === controls[0] || active === popover : active === last) {
          event.preventDefault();
          close(true);
        }
      });
      if (!popover.showPopover) {
        // Without the Popover API: a click elsewhere closes it, as the API's would.
        document.addEventListener(
          "pointerdown",
          (event) => {
            const path = event.composedPath();
            if (current && !path.includes(popover) && !path.includes(current.label)) close(false);
          },
          true,
        );
      }
      window.addEventListener("resize", place, { passive: true });
      window.addEventListener("scroll", place, { passive: true });
    }
    if (current) close(false);
    current = item;
    popover.replaceChildren();
    const head = element("div", "head");
    const title = element("h2", "", t("factcheck"));
    title.id = "fcx-title";
    const closer = element("button", "", "×");
    closer.type = "button";
    closer.setAttribute("aria-label", t("close"));
    closer.addEventListener("click", () => close(true));
    head.append(title, closer);
    popover.append(head);
    if (organisation) popover.append(element("p", "by", t("by", organisation)));
    const link = details(item, popover);
    if (link) popover.append(line("actions", link));
    if (popover.showPopover) popover.showPopover();
    else popover.hidden = false;
    item.label.setAttribute("aria-expanded", "true");
    place();
    popover.focus();
  };
  // Closes the popover; the focus goes back to the label if it was inside (with the
  // Popover API, the beforetoggle handler does that) or ``refocus`` says so.
  const close = (refocus = true) => {
    if (!popover || !current) return;
    if (popover.hidePopover) {
      popover.hidePopover();
    } else {
      const opener = current;
      current = null;
      popover.hidden = true;
      opener.label.setAttribute("aria-expanded", "false");
      if (refocus === true) opener.label.focus();
    }
  };
  function place() {
    if (!current || !popover) return;
    // Below the passage's last line, from where its first line starts; above it when
    // there is no room below.
    const rects = current.marks.flatMap((mark) => [...mark.getClientRects()]);
    if (!rects.length) return close(false); // the page took the passage away (a re-render)
    const first = rects[0];
    const last = rects[rects.length - 1];
    const width = popover.offsetWidth;
    const height = popover.offsetHeight;
    const below = last.bottom + 8 + height <= innerHeight || first.top - 8 - height < 0;
    popover.style.top = `${Math.max(8, below ? last.bottom + 8 : first.top - 8 - height)}px`;
    popover.style.left = `${Math.max(8, Math.min(first.left, innerWidth - width - 8))}px`;
  }

  const list = (page, found) => {
    const [node, root] = host("fcx-host");
    node.dataset.total = String(items.length);
    node.dataset.found = String(found.length);
    const section = element("section");
    section.setAttribute("aria-labelledby", "fcx-list-title");
    const title = element("h2", "", t("list"));
    title.id = "fcx-list-title";
    section.append(title);
    if (organisation) section.append(element("p", "by", t("by", organisation)));
    const entries = element("ol");
    section.append(entries);
    root.append(section);
    // The entries are made when the box comes near the viewport (or the page is
    // printed): a reader who never scrolls to the end of the article costs nothing for
    // them, and none of it delays the page.
    let filled = false;
    const fill = () => {
      if (filled) return;
      filled = true;
      for (const item of items) {
        const entry = element("li");
        const link = details(item, entry);
        if (item.label) {
          const show = element("button", "", t("show"));
          show.type = "button";
          show.addEventListener("click", () => {
            item.label.scrollIntoView({ block: "center" });
            item.label.focus();
          });
          entry.append(line("actions", link, show));
        } else {
          entry.append(line("actions", link, element("span", "missing", t("missing"))));
        }
        entries.append(entry);
      }
    };
    if (window.IntersectionObserver) {
      window.addEventListener("beforeprint", fill, { once: true });
      const watch = new IntersectionObserver(
        (seen) => {
          if (!seen.some((entry) => entry.isIntersecting)) return;
          watch.disconnect();
          fill();
        },
        { rootMargin: "1000px 0px" },
      );
      watch.observe(node);
    } else fill();
    let target = null;
    try {
      target = data.listTarget && document.querySelector(data.listTarget);
    } catch {
      // Not a selector: the box goes to the end of the article.
    }
    if (target) {
      target.append(node);
      return node;
    }
    // The end of the article: the <article> holding every found passage, else the
    // element holding them, widened (below) as far as the article's text seems to go;
    // without any found, the page's <article> or <main>.
    let container = null;
    for (const item of found) {
      const mark = item.marks[0];
      container = container ? commonAncestor(container, mark) : mark.parentElement;
    }
    container = container || document.querySelector("article") || document.querySelector("main") || document.body;
    while (container !== document.body && !FLOW.test(container.localName)) container = container.parentElement;
    const article = container.closest("article");
    if (article) container = article;
    // Visible text in an element, by the page's text as read above.
    const size = (element) => {
      let total = 0;
      page.nodes.forEach((text, i) => {
        if (element.contains(text)) total += (page.starts[i + 1] ?? page.text.length) - page.starts[i];
      });
      return total;
    };
    // The article reaches at least as far as its last passage ends in the desk's text.
    const extent = Math.max(0, ...found.map((item) => (item.position || 0) + item.quote.exact.length));
    const landmarkBeside = (parent, child) =>
      [...parent.querySelectorAll("nav, header, footer, aside, form")].some((mark) => !child.contains(mark));
    let own = size(container);
    while (!article && container !== document.body && container.parentElement !== document.body) {
      const parent = container.parentElement;
      const wider = size(parent);
      // Wider while this element cannot hold the whole article, or its parent holds much
      // more text and no navigation, header, footer, sidebar or form beside it.
      if (own >= 0.9 * extent && (wider < 1.5 * own || landmarkBeside(parent, container))) break;
      container = parent;
      own = wider;
    }
    container.append(node);
    return node;
  };
  const commonAncestor = (a, b) => {
    let node = a;
    while (node && !node.contains(b)) node = node.parentElement;
    return node || document.body;
  };

  // --- Annotations to items -------------------------------------------------------------
  let items = [];
  let organisation = "";
  const itemOf = (annotation, index) => {
    const bodies = Array.isArray(annotation.body) ? annotation.body : [annotation.body || {}];
    const body = (purpose) => bodies.find((b) => b && b.purpose === purpose) || {};
    const selectors = [].concat((annotation.target || {}).selector || []);
    const quote = selectors.find((s) => s && s.type === "TextQuoteSelector");
    const position = selectors.find((s) => s && s.type === "TextPositionSelector");
    const verdict = body("classifying");
    const colour = /^#[0-9a-f]{6}$/i.test(verdict["schema:color"] || "") ? verdict["schema:color"] : "#6c757d";
    return {
      id: String(index),
      quote,
      position: position && typeof position.start === "number" ? position.start : null,
      verdict: typeof verdict.value === "string" ? verdict.value : "",
      colour,
      claim: String(body("identifying").value || ""),
      conclusion: String(body("describing").value || (verdict.value ? "" : body("assessing").value || "")),
      link: ((body("linking").source || {}).id || ""),
    };
  };

  const articleUrl = () => {
    const given = data.articleUrl || (document.querySelector('link[rel="canonical"]') || {}).href || location.href;
    try {
      const url = new URL(given, location.href);
      url.hash = "";
      return url.href;
    } catch {
      return null;
    }
  };

  const run = (collection) => {
    const annotations = ((collection && collection.first) || {}).items;
    if (!Array.isArray(annotations) || !annotations.length) return;
    performance.mark("factchecks:start");
    organisation = String(((annotations[0] || {}).creator || {}).name || "");
    items = annotations.map(itemOf).filter((item) => item.quote && item.quote.exact);
    if (!items.length) return;
    // One colour per verdict: tones by colour, so the style sheet stays short.
    const tones = new Map();
    for (const item of items) {
      if (!tones.has(item.colour)) tones.set(item.colour, String(tones.size));
      item.tone = tones.get(item.colour);
    }
    const page = pageText();
    const length = Math.max(1, ...items.map((item) => item.position || 0));
    const found = [];
    let from = 0;
    // Every quote folded at once: one pass of the string operations instead of three per
    // passage (NUL, which no quote holds, keeps them apart).
    const pieces = foldRun(
      items.map(({ quote }) => [quote.exact, quote.prefix, quote.suffix].map((part) => String(part || "").replaceAll("\0", "")).join("\0")).join("\0"),
    ).split("\0");
    items.forEach((item, i) => {
      const [exact, prefix, suffix] = pieces.slice(3 * i, 3 * i + 3).map((part) => part.trim());
      item.folded = { exact, prefix, suffix };
    });
    for (const item of items) {
      const at = locate(page, item.folded, from, item.position === null ? 0.5 : item.position / length);
      if (!at) continue;
      found.push(Object.assign(item, at));
      from = at.start;
    }
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet(PAGE_CSS + toneCss(items))];
    wrap(page, found);
    const shown = found.filter((item) => item.label);
    const box = list(page, shown);
    spread(); // after the layout the marks cause, which counts too
    let resizing = 0;
    window.addEventListener("resize", () => {
      cancelAnimationFrame(resizing);
      resizing = requestAnimationFrame(spread);
    });
    performance.measure("factchecks", "factchecks:start");
    document.dispatchEvent(new CustomEvent("factchecks:ready", { detail: { total: items.length, found: shown.length, box } }));
  };

  const url = articleUrl();
  if (!url) return;
  const request = fetch(`${api}?${new URLSearchParams({ url })}`, { credentials: "omit", mode: "cors" })
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
  const ready = new Promise((resolve) => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve, { once: true });
    else resolve();
  });
  // After the page's own first rendering: the work never delays it.
  const rendered = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  Promise.all([request, ready])
    .then(([collection]) => collection && rendered().then(() => run(collection)))
    .catch(() => {});
})();
