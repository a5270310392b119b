// The annotation workspace: selections become code-point spans, keyboard selection,
// shortcuts, and small helpers for the claim panel. Loaded only on desk pages.
// Offsets sent to the server are Unicode code points of the stored text; the DOM counts
// UTF-16 code units, so every conversion goes through cpLength/cpSlice/utf16Index.
(() => {
  "use strict";

  const cpLength = (s) => {
    let n = 0;
    for (const _ of s) n++;
    return n;
  };
  const cpSlice = (s, from, to) => Array.from(s).slice(from, to).join("");
  const utf16Index = (s, cp) => {
    let units = 0;
    let n = 0;
    for (const ch of s) {
      if (n === cp) break;
      units += ch.length;
      n++;
    }
    return units;
  };
  const typing = (el) =>
    el && (el.closest("input, textarea, select, [contenteditable]") || el.isContentEditable);

  const text = document.getElementById("article-text");
  const toolbar = document.getElementById("selection-toolbar");
  const fields = document.getElementById("span-fields");
  let current = null; // {start, end, exact}

  // --- Selection → span ------------------------------------------------------------------
  const paragraphs = () => Array.from(text.querySelectorAll(".desk-paragraph"));

  function offsetOf(node, offset) {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    let para = el && el.closest(".desk-paragraph");
    if (!para) {
      if (node !== text) return null;
      const paras = paragraphs();
      const child = text.childNodes[offset];
      para = child && child.closest ? child.closest(".desk-paragraph") : null;
      if (para) return Number(para.dataset.start);
      const last = paras[paras.length - 1];
      return last ? Number(last.dataset.end) : null;
    }
    const range = document.createRange();
    range.setStart(para, 0);
    range.setEnd(node, offset);
    return Number(para.dataset.start) + cpLength(range.toString());
  }

  // The stored text between two offsets, rebuilt from the paragraphs (blank lines between
  // paragraphs are not in the DOM: they are "\n" times the gap).
  function textBetween(start, end) {
    let out = "";
    let previousEnd = null;
    for (const para of paragraphs()) {
      const ps = Number(para.dataset.start);
      const pe = Number(para.dataset.end);
      if (pe <= start || ps >= end) {
        previousEnd = pe;
        continue;
      }
      if (previousEnd !== null && out) out += "\n".repeat(ps - previousEnd);
      out += cpSlice(para.textContent, Math.max(start, ps) - ps, Math.min(end, pe) - ps);
      previousEnd = pe;
    }
    return out;
  }

  function spanFromSelection() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || start >= end) return null;
    let exact = textBetween(start, end);
    // Leading and trailing white space is never part of a claim.
    const lead = cpLength(exact) - cpLength(exact.trimStart());
    const trail = cpLength(exact) - cpLength(exact.trimEnd());
    start += lead;
    end -= trail;
    if (start >= end) return null;
    exact = textBetween(start, end);
    return { start, end, exact };
  }

  function setField(name, value) {
    fields.querySelector(`[name="${name}"]`).value = value;
  }

  function showToolbar(span, rect) {
    current = span;
    setField("start", span.start);
    setField("end", span.end);
    setField("exact", span.exact);
    toolbar.hidden = false;
    const top = rect.bottom + window.scrollY + 6;
    const left = Math.max(8, rect.left + window.scrollX);
    toolbar.style.top = `${top}px`;
    toolbar.style.left = `${left}px`;
  }

  function hideToolbar() {
    toolbar.hidden = true;
  }

  function onSelectionChange() {
    if (toolbar.contains(document.activeElement)) return;
    const span = spanFromSelection();
    if (span) {
      showToolbar(span, window.getSelection().getRangeAt(0).getBoundingClientRect());
    } else if (!document.getElementById("link-panel").contains(document.activeElement)) {
      hideToolbar();
    }
  }

  // --- Span → selection (keyboard) -------------------------------------------------------
  function pointAt(offset) {
    for (const run of text.querySelectorAll(".run")) {
      const rs = Number(run.dataset.start);
      const length = cpLength(run.textContent);
      if (offset >= rs && offset <= rs + length && run.firstChild) {
        return [run.firstChild, utf16Index(run.textContent, offset - rs)];
      }
    }
    return null;
  }

  function select(start, end) {
    const a = pointAt(start);
    const b = pointAt(end);
    if (!a || !b) return;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    onSelectionChange();
  }

  function segments(para, granularity) {
    const segmenter = new Intl.Segmenter(text.lang || undefined, { granularity });
    const base = Number(para.dataset.start);
    const out = [];
    let cp = 0;
    for (const part of segmenter.segment(para.textContent)) {
      const length = cpLength(part.segment);
      out.push({ start: base + cp, end: base + cp + length, part });
      cp += length;
    }
    return out;
  }

  function trimmed(seg) {
    const s = seg.part.segment;
    const lead = cpLength(s) - cpLength(s.trimStart());
    const trail = cpLength(s) - cpLength(s.trimEnd());
    return { start: seg.start + lead, end: seg.end - trail };
  }

  function keyboardSelect(para, key, alt) {
    const inPara = current && current.start >= Number(para.dataset.start) &&
      current.end <= Number(para.dataset.end) && !toolbar.hidden;
    if (key === "s") {
      const after = inPara ? current.end : Number(para.dataset.start);
      const sentences = segments(para, "sentence").map(trimmed).filter((s) => s.end > s.start);
      const next = sentences.find((s) => s.start >= after) || sentences[0];
      if (next) select(next.start, next.end);
      return;
    }
    const words = segments(para, "word").filter((s) => s.part.isWordLike);
    if (!words.length) return;
    let start = inPara ? current.start : words[0].start;
    let end = inPara ? current.end : words[0].end;
    if (!inPara) return select(start, end);
    if (alt && key === "ArrowLeft") {
      const w = words.filter((x) => x.start < start).pop();
      if (w) start = w.start;
    } else if (alt && key === "ArrowRight") {
      const w = words.find((x) => x.start > start && x.start < end);
      if (w) start = w.start;
    } else if (key === "ArrowRight") {
      const w = words.find((x) => x.end > end);
      if (w) end = w.end;
    } else if (key === "ArrowLeft") {
      const w = words.filter((x) => x.end < end && x.end > start).pop();
      if (w) end = w.end;
    }
    select(start, end);
  }

  // --- Opening claims ------------------------------------------------------------------
  function openPanel(url) {
    window.htmx.ajax("GET", url, { target: "#claim-panel", swap: "outerHTML" }).then(() => {
      window.history.pushState({}, "", url);
    });
  }

  function focusMention(id) {
    const mark = text && text.querySelector(`mark[data-opens~="${id}"]`);
    if (mark) {
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
    }
  }

  // --- Wiring ----------------------------------------------------------------------------
  if (text && toolbar) {
    document.body.append(toolbar); // positioned against the page
    toolbar.addEventListener("mousedown", (event) => event.preventDefault()); // keep selection
    document.addEventListener("selectionchange", onSelectionChange);

    text.addEventListener("click", (event) => {
      const mark = event.target.closest("mark[data-href]");
      if (mark && window.getSelection().isCollapsed) openPanel(mark.dataset.href);
    });

    text.addEventListener("keydown", (event) => {
      const mark = event.target.closest("mark[data-href]");
      if (mark && event.key === "Enter") {
        event.preventDefault();
        openPanel(mark.dataset.href);
        return;
      }
      const para = event.target.closest(".desk-paragraph");
      if (!para || event.ctrlKey || event.metaKey) return;
      if (event.key === "s" && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        keyboardSelect(para, "s", false);
      } else if (event.shiftKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
        event.preventDefault();
        keyboardSelect(para, event.key, event.altKey);
      }
    });

    document.getElementById("link-claim-button").addEventListener("click", () => {
      const panel = document.getElementById("link-panel");
      panel.hidden = false;
      document.getElementById("link-quote").textContent = current ? current.exact : "";
      document.getElementById("claim-search").focus();
    });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-focus-mention]");
    if (link) focusMention(link.dataset.focusMention);
  });

  const dialog = document.getElementById("shortcuts-dialog");
  const showHelp = () => dialog && !dialog.open && dialog.showModal();
  document.getElementById("shortcuts-button")?.addEventListener("click", showHelp);
  document.getElementById("shortcuts-close")?.addEventListener("click", () => dialog.close());

  document.addEventListener("keydown", (event) => {
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") {
      event.preventDefault();
      showHelp();
    } else if (event.key === "Escape" && toolbar) {
      window.getSelection().removeAllRanges();
      hideToolbar();
      const panel = document.getElementById("link-panel");
      if (panel) panel.hidden = true;
    } else if ((event.key === "m" || event.key === "M") && toolbar && !toolbar.hidden) {
      event.preventDefault();
      document.getElementById("mark-claim-button").click();
    } else if ((event.key === "l" || event.key === "L") && toolbar && !toolbar.hidden) {
      event.preventDefault();
      document.getElementById("link-claim-button").click();
    }
  });

  // After marking or linking, the new claim's first field takes the focus — right after
  // the swap, before the editor can start typing somewhere else.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source) return;
    if (source.id === "mark-claim-button" || source.closest("#link-results")) {
      hideToolbar();
      const panel = document.getElementById("link-panel");
      if (panel) panel.hidden = true;
      document.getElementById("id_claim_reviewed")?.focus();
    }
  });

  // The claim open in the panel is outlined in the text and marked in the list.
  function markActive() {
    const panel = document.getElementById("claim-panel");
    if (!panel) return;
    const id = panel.dataset.claim;
    for (const mark of document.querySelectorAll("#article-text mark[data-claims]")) {
      mark.classList.toggle("is-active", !!id && mark.dataset.claims.split(" ").includes(id));
    }
    for (const link of document.querySelectorAll("#claims-list a[data-claim]")) {
      if (id && link.dataset.claim === id) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
  }
  markActive();
  document.body.addEventListener("htmx:afterSettle", markActive);

  // Character counter for the claim as reviewed.
  document.addEventListener("input", (event) => {
    if (event.target.id !== "id_claim_reviewed") return;
    const counter = document.getElementById("claim-reviewed-count");
    if (!counter) return;
    const n = cpLength(event.target.value);
    const recommended = Number(counter.dataset.recommended);
    counter.textContent = counter.dataset.template.replace("__N__", n);
    counter.classList.toggle("text-danger", n > recommended);
  });
})();
