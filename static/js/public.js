// Public pages: a highlighted claim opens a compact popover with its verdict. Without
// JavaScript (or without popover support) the highlight is a link to the list of the
// article's claims below the text, which holds the same information.
(() => {
  "use strict";
  if (!HTMLElement.prototype.showPopover) return;
  let trigger = null;

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.claim-link[data-popover]");
    if (!link) return;
    const popover = document.getElementById(link.dataset.popover);
    if (!popover) return;
    event.preventDefault();
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
    popover.querySelector("a")?.focus();
  });

  // Back to the highlight when the popover closes, so keyboard users keep their place.
  document.addEventListener(
    "toggle",
    (event) => {
      if (event.target.matches?.(".claim-popover") && event.newState === "closed" && trigger) {
        trigger.focus();
        trigger = null;
      }
    },
    true,
  );
})();
