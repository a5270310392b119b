// Public article pages. Each highlighted claim has a verdict card (claims.highlights.public):
// - from 1200 px the cards are margin notes beside the text, placed here level with their
//   passages, stacked downward when passages are close; a click on a highlight goes to its card;
// - on narrow screens the cards are the list below the text, and a click on a highlight opens
//   the one popover, filled from its card.
// Pointing at or focusing a passage marks its card, and the reverse (class "is-paired").
// Without JavaScript a highlight is a link to its card, which holds the same information.
(() => {
  "use strict";
  const notes = document.querySelector(".margin-notes");
  if (!notes) return;
  const list = notes.querySelector(".verdict-cards");
  const text = document.querySelector(".article-text");
  const wide = window.matchMedia("(min-width: 1200px)");
  const GAP = 8; // px between stacked cards
  const MAX_LIFT = 40; // px a card may sit above its passage to make room for the next

  // --- Margin notes level with their passages --------------------------------------------
  const passageOf = (card) => {
    const start = card.dataset.passage && document.getElementById(card.dataset.passage);
    return start ? start.closest("mark") || start : null;
  };

  function align() {
    const cards = Array.from(list.children);
    if (!wide.matches) {
      notes.classList.remove("is-aligned");
      list.style.height = "";
      for (const card of cards) card.style.top = "";
      return;
    }
    notes.classList.add("is-aligned");
    // All reads, then all writes: one layout for a thousand cards.
    const base = list.getBoundingClientRect().top;
    const heights = cards.map((card) => card.offsetHeight);
    const wanted = cards.map((card) => {
      const passage = passageOf(card);
      return passage ? passage.getBoundingClientRect().top - base : null;
    });
    let next = 0;
    const tops = cards.map((card, i) => {
      const top = Math.max(wanted[i] ?? next, next);
      next = top + heights[i] + GAP;
      return top;
    });
    // A card pushed below its passage lifts the card above it into free space, a little
    // above that card's own passage at most, so close passages both stay near level.
    for (let i = cards.length - 1; i > 0; i--) {
      if (wanted[i] === null || tops[i] <= wanted[i]) continue;
      const prev = i - 1;
      const floor = prev > 0 ? tops[prev - 1] + heights[prev - 1] + GAP : 0;
      const lowest = Math.max(floor, (wanted[prev] ?? tops[prev]) - MAX_LIFT);
      const lift = Math.min(tops[i] - wanted[i], tops[prev] - lowest);
      if (lift > 0) {
        tops[prev] -= lift;
        tops[i] = Math.max(wanted[i], tops[prev] + heights[prev] + GAP);
      }
    }
    cards.forEach((card, i) => {
      card.style.top = `${tops[i]}px`;
    });
    list.style.height = `${Math.max(0, next - GAP)}px`;
  }

  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      align();
    });
  };
  align();
  window.addEventListener("resize", schedule);
  window.addEventListener("load", schedule);
  document.fonts?.ready.then(schedule);
  if (window.ResizeObserver && text) new ResizeObserver(schedule).observe(text);

  // --- A passage and its card, marked together ------------------------------------------
  let paired = [];
  const pair = (cardId) => {
    for (const element of paired) element.classList.remove("is-paired");
    paired = [];
    const card = cardId && document.getElementById(cardId);
    if (!card) return;
    paired = [card, ...document.querySelectorAll(`a.claim-link[data-card="${CSS.escape(cardId)}"]`)];
    for (const element of paired) element.classList.add("is-paired");
  };
  const cardIdOf = (target) =>
    target.closest?.("a.claim-link[data-card], a.rating-badge[data-card]")?.dataset.card ||
    target.closest?.(".verdict-card")?.id ||
    null;
  for (const type of ["pointerover", "focusin"]) {
    document.addEventListener(type, (event) => {
      const id = cardIdOf(event.target);
      if (id) pair(id);
    });
  }
  for (const type of ["pointerout", "focusout"]) {
    document.addEventListener(type, (event) => {
      const into = event.relatedTarget && cardIdOf(event.relatedTarget);
      if (cardIdOf(event.target) && !into) pair(null);
    });
  }

  // --- A click on a highlight -------------------------------------------------------------
  const popover = document.getElementById("claim-popover");
  let trigger = null;

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.claim-link[data-card]");
    if (!link) return;
    const card = document.getElementById(link.dataset.card);
    if (!card) return;
    event.preventDefault();
    if (wide.matches || !popover || !HTMLElement.prototype.showPopover) {
      // The card is beside the passage (or, without popovers, in the list): go to it.
      card.scrollIntoView({
        block: "nearest",
        behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth",
      });
      card.focus({ preventScroll: true });
      pair(card.id);
      return;
    }
    const content = card.firstElementChild.cloneNode(true);
    content.removeAttribute("id");
    for (const element of content.querySelectorAll("[id]")) element.removeAttribute("id");
    popover.querySelector(".claim-popover-body").replaceChildren(content);
    popover.querySelector(".claim-popover-read").href = card.querySelector(".card-link").href;
    trigger = link;
    popover.showPopover();
    // Just below the highlight, kept inside the viewport.
    const rect = link.getBoundingClientRect();
    const width = popover.offsetWidth;
    const left = Math.min(Math.max(8, rect.left), window.innerWidth - width - 8);
    const below = rect.bottom + 8;
    const top = below + popover.offsetHeight > window.innerHeight ? rect.top - popover.offsetHeight - 8 : below;
    popover.style.left = `${Math.max(8, left)}px`;
    popover.style.top = `${Math.max(8, top)}px`;
    popover.querySelector(".claim-popover-read").focus();
  });

  // Back to the highlight when the popover closes, so keyboard users keep their place.
  popover?.addEventListener("toggle", (event) => {
    if (event.newState === "closed" && trigger) {
      trigger.focus();
      trigger = null;
    }
  });
})();
