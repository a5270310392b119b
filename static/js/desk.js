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
      // Between paragraphs: on the text itself, or on a paragraph's block (its role form).
      const block = el && el.closest(".desk-block");
      if (block && block.querySelector(".desk-paragraph")) {
        const inner = block.querySelector(".desk-paragraph");
        return offset === 0 ? Number(inner.dataset.start) : Number(inner.dataset.end);
      }
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
    // A selection may begin at the end of one paragraph or stop at the start of the next
    // (a drag from a line's very edge): pull its ends onto paragraph text.
    const paras = paragraphs().map((p) => [Number(p.dataset.start), Number(p.dataset.end)]);
    const first = paras.find(([, pe]) => pe > start);
    const last = paras.filter(([ps]) => ps < end).pop();
    if (!first || !last) return null;
    start = Math.max(start, first[0]);
    end = Math.min(end, last[1]);
    if (start >= end) return null;
    // Half a flag or an accent without its letter is no passage: take whole characters.
    start = boundaryBefore(start);
    end = boundaryAfter(end);
    let exact = textBetween(start, end);
    // Leading and trailing white space is never part of a claim (unless a mark sits on
    // it: trimming would then split a character, which the server refuses).
    const lead = cpLength(exact) - cpLength(exact.trimStart());
    const trail = cpLength(exact) - cpLength(exact.trimEnd());
    if (isBoundary(start + lead)) start += lead;
    if (isBoundary(end - trail)) end -= trail;
    if (start >= end) return null;
    exact = textBetween(start, end);
    return { start, end, exact };
  }

  // --- Whole characters ----------------------------------------------------------------
  // A passage starts and ends between user-perceived characters (extended grapheme
  // clusters), as the server checks them (claims/text/words.py): a flag is two code
  // points, a family emoji five, a keycap three, a letter with its accents several.
  const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

  // Code-point offsets of the character boundaries in the paragraph around `offset`.
  function boundariesAround(offset) {
    const para = paragraphs().find(
      (p) => Number(p.dataset.start) <= offset && offset <= Number(p.dataset.end),
    );
    if (!para) return [offset];
    let cp = Number(para.dataset.start);
    const edges = [cp];
    for (const part of graphemes.segment(para.textContent)) {
      cp += cpLength(part.segment);
      edges.push(cp);
    }
    return edges;
  }

  const isBoundary = (offset) => boundariesAround(offset).includes(offset);
  const boundaryBefore = (offset) =>
    boundariesAround(offset).filter((edge) => edge <= offset).pop() ?? offset;
  const boundaryAfter = (offset) =>
    boundariesAround(offset).find((edge) => edge >= offset) ?? offset;

  function setField(name, value) {
    fields.querySelector(`[name="${name}"]`).value = value;
  }

  function showToolbar(span, range) {
    current = span;
    showReason(span);
    setField("start", span.start);
    setField("end", span.end);
    setField("exact", span.exact);
    toolbar.hidden = false;
    // Placed just below the selection, against the text column (so it follows the text
    // in the tab order).
    const rect = range.getBoundingClientRect();
    const box = toolbar.offsetParent.getBoundingClientRect();
    toolbar.style.top = `${rect.bottom - box.top + 6}px`;
    toolbar.style.left = `${Math.max(0, rect.left - box.left)}px`;
    // Keep the passage visibly selected while the editor works in the toolbar or link panel.
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("pending-selection", new Highlight(range.cloneRange()));
    }
  }

  function hideToolbar() {
    toolbar.hidden = true;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("pending-selection");
  }

  function onSelectionChange() {
    if (toolbar.contains(document.activeElement)) return;
    const span = spanFromSelection();
    if (span) {
      showToolbar(span, window.getSelection().getRangeAt(0));
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
    // Tell screen readers what the keyboard selection now holds.
    const status = document.getElementById("desk-status");
    if (status && current) {
      status.textContent = status.dataset.selectedTemplate.replace("__TEXT__", current.exact);
    }
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

  // --- Hints and "Already checked" (claims.matching) -------------------------------------
  // The server ships the sentences as data (#checks-data's data-marks: code-point start/end, kind "hint"
  // or "suggestion", a ready label). They are drawn with the CSS Custom Highlight API, so
  // the text's DOM never changes; N / Shift+N select them in text order as S would.
  let marks = [];
  let landed = null; // the mark N last selected

  // Each run's text node and code-point start: built once per drawing, not per mark.
  function runIndex() {
    const runs = [];
    for (const run of text.querySelectorAll(".run")) {
      if (run.firstChild) {
        runs.push({ start: Number(run.dataset.start), length: cpLength(run.textContent), run });
      }
    }
    return runs;
  }

  function pointIn(runs, offset) {
    let low = 0;
    let high = runs.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const r = runs[mid];
      if (offset < r.start) high = mid - 1;
      else if (offset > r.start + r.length) low = mid + 1;
      else return [r.run.firstChild, utf16Index(r.run.textContent, offset - r.start)];
    }
    return null;
  }

  function readMarks() {
    const data = document.getElementById("checks-data");
    const all = data ? JSON.parse(data.dataset.marks || "[]") : [];
    // A suggestion linked or dismissed since has left the list: it is no longer drawn.
    marks = all.filter(
      (mark) => mark.kind !== "suggestion" || document.getElementById(`suggestion-${mark.id}`),
    );
  }

  function drawMarks() {
    readMarks();
    if (!(window.CSS && CSS.highlights && window.Highlight)) return; // selection still works
    const runs = runIndex();
    const groups = { hint: new Highlight(), suggestion: new Highlight() };
    for (const mark of marks) {
      const a = pointIn(runs, mark.start);
      const b = pointIn(runs, mark.end);
      if (!a || !b) continue;
      const range = new StaticRange({
        startContainer: a[0], startOffset: a[1], endContainer: b[0], endOffset: b[1],
      });
      groups[mark.kind]?.add(range);
    }
    CSS.highlights.set("worth-checking", groups.hint);
    CSS.highlights.set("already-checked", groups.suggestion);
  }

  const reason = document.getElementById("toolbar-reason");
  function showReason(span) {
    if (!reason) return;
    const on = landed && span && landed.start === span.start && landed.end === span.end;
    reason.hidden = !on;
    reason.textContent = on ? landed.label : "";
    if (!on) landed = null;
  }

  function goToMark(backwards) {
    if (!marks.length) {
      const status = document.getElementById("desk-status");
      const none = document.getElementById("checks-data")?.dataset.none;
      if (status && none) status.textContent = none;
      return;
    }
    const here = current && !toolbar.hidden ? current.start : landed ? landed.start : null;
    let next;
    if (backwards) {
      next = here === null ? marks.at(-1) : marks.filter((m) => m.start < here).pop() || marks.at(-1);
    } else {
      next = here === null ? marks[0] : marks.find((m) => m.start > here) || marks[0];
    }
    landed = next;
    select(next.start, next.end);
    const point = pointAt(next.start);
    point?.[0].parentElement.scrollIntoView({ block: "center" });
    showReason(current);
    const status = document.getElementById("desk-status");
    if (status) status.textContent = next.label;
  }

  function linkLanded() {
    if (!landed || landed.kind !== "suggestion" || !current || toolbar.hidden) return false;
    const button = document.querySelector(`[data-suggestion-link="${landed.id}"]`);
    if (!button) return false;
    button.click();
    return true;
  }

  // --- Opening claims ------------------------------------------------------------------
  function discardChanges() {
    const form = document.getElementById("claim-form");
    return !form || !form.dataset.dirty || window.confirm(text?.dataset.unsavedMessage);
  }

  function openPanel(url) {
    if (!discardChanges()) return;
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
    toolbar.addEventListener("mousedown", (event) => event.preventDefault()); // keep selection
    document.addEventListener("selectionchange", onSelectionChange);

    // A highlight stands for its innermost claim, the last of data-claims: a click opens
    // that claim's panel.
    const innermost = (mark) => mark.dataset.claims.split(" ").at(-1);
    const panelUrl = (mark) => text.dataset.panelUrl.replace(/\/0\/$/, `/${innermost(mark)}/`);

    // Its tooltip: the innermost claim and its status, as its row in the claims list says.
    const describe = (event) => {
      const mark = event.target.closest && event.target.closest("mark[data-claims]");
      if (!mark || mark.title) return;
      const row = document.getElementById(`claim-row-${innermost(mark)}`);
      const name = row && row.querySelector("a");
      const about = row ? Array.from(row.querySelectorAll(".badge, .rating-badge")) : [];
      const notes = about.map((badge) => badge.textContent).join(", ");
      if (name) mark.title = notes ? `${name.textContent} (${notes})` : name.textContent;
    };
    text.addEventListener("mouseover", describe);
    text.addEventListener("focusin", describe);

    text.addEventListener("click", (event) => {
      const mark = event.target.closest("mark[data-claims]");
      if (mark && window.getSelection().isCollapsed) openPanel(panelUrl(mark));
    });

    text.addEventListener("keydown", (event) => {
      const mark = event.target.closest("mark[data-claims]");
      if (mark && event.key === "Enter") {
        event.preventDefault();
        openPanel(panelUrl(mark));
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

    document.getElementById("link-panel-close").addEventListener("click", () => {
      document.getElementById("link-panel").hidden = true;
      hideToolbar();
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
    } else if ((event.key === "n" || event.key === "N") && text && toolbar) {
      event.preventDefault();
      goToMark(event.shiftKey);
    } else if ((event.key === "a" || event.key === "A") && text && toolbar && linkLanded()) {
      event.preventDefault();
    }
  });

  if (text && toolbar) {
    drawMarks();
    // New paragraphs (after a mark or link) or new data (the analysis finished): again.
    document.body.addEventListener("htmx:afterSettle", drawMarks);
  }

  // --- Error summaries -------------------------------------------------------------------
  // A form that failed to save comes back with a summary of its problems at its top: it
  // is brought into view and focused (on a page load, and after a failed panel save), so
  // the editor sees and hears what to fix. Its links go to the fields, unfolding them.
  function showErrorSummary(root) {
    const summary = root && root.querySelector(".error-summary");
    if (!summary) return false;
    summary.scrollIntoView({ block: "nearest", behavior: "instant" });
    summary.focus({ preventScroll: true });
    return true;
  }
  showErrorSummary(document);

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    const folded = field.closest("details");
    if (folded) folded.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // Focus after the panel changed — right after the swap, before the editor types on:
  // a new claim's first field (selected, to be rewritten), a new source's URL, or else
  // the panel heading, so keyboard users never fall back to the top of the page.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const config = event.detail.requestConfig;
    const source = config && config.elt;
    if (!source || !document.getElementById("claim-panel")) return;
    if (source.matches("form[hx-target='#claim-panel'][hx-post*='/suggestions/']")) {
      // A suggested sentence linked (button or A): its item is gone; on to the panel.
      window.getSelection().removeAllRanges();
      hideToolbar();
      document.getElementById("panel-heading")?.focus();
      return;
    }
    if (
      source.id === "mark-claim-button" ||
      source.closest("#link-results") ||
      source.closest("[data-after-mark]")
    ) {
      hideToolbar();
      const panel = document.getElementById("link-panel");
      if (panel) panel.hidden = true;
      // A new claim's first field, or the heading of the similar claims shown first.
      const field = document.getElementById("id_claim_reviewed");
      if (field) {
        field.focus();
        field.select();
      } else document.getElementById("panel-heading")?.focus();
      return;
    }
    const submitter = config.triggeringEvent && config.triggeringEvent.submitter;
    const failed = event.detail.xhr && event.detail.xhr.status >= 400;
    if (failed && showErrorSummary(document.getElementById("claim-panel"))) return;
    if (submitter && submitter.name === "add_source") {
      const urls = document.querySelectorAll('#claim-panel input[name$="-url"]');
      urls[urls.length - 1]?.focus();
    } else if (document.activeElement === document.body) {
      document.getElementById("panel-heading")?.focus();
    }
  });

  // Unsaved changes in the claim panel are never dropped without asking.
  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest("#claim-form");
    if (form) form.dataset.dirty = "1";
  });
  document.body.addEventListener("htmx:confirm", (event) => {
    const form = document.getElementById("claim-form");
    const target = event.detail.target;
    if (!form || !form.dataset.dirty || form.contains(event.detail.elt)) return;
    if (!target || target.id !== "claim-panel") return;
    event.preventDefault();
    if (window.confirm(text?.dataset.unsavedMessage)) event.detail.issueRequest(true);
  });
  window.addEventListener("beforeunload", (event) => {
    const form = document.getElementById("claim-form");
    if (form && form.dataset.dirty) event.preventDefault();
  });

  // Answers the desk sends to its alert area are meant to be shown there. (With DEBUG on,
  // django-htmx's debug script would otherwise replace the whole page with them.)
  document.body.addEventListener("htmx:beforeOnLoad", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Retarget") === "#desk-alert") event.stopPropagation();
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

  // Loading an article from a web address takes a moment: say so while the page waits.
  // The form stays as it is (a second click simply sends it again).
  document.getElementById("article-form")?.addEventListener("submit", (event) => {
    const url = event.target.querySelector("#id_fetch_url");
    const busy = document.getElementById("article-busy");
    if (url && url.value.trim() && busy) busy.hidden = false;
  });
})();
