// The API's documentation page (/api/docs): Swagger UI as django-ninja ships it, made
// usable by keyboard and screen reader where Swagger UI itself falls short. Swagger UI
// draws the page with React after this script runs, so the fixes follow its changes.
(function () {
  "use strict";
  var body = document.body;
  var copyLabel = body.dataset.copyLabel || "Copy to clipboard";
  var codeLabel = body.dataset.codeLabel || "Example";

  function fix(root) {
    // Copy buttons are icons without a name.
    root.querySelectorAll(".copy-to-clipboard > button:not([aria-label])").forEach(function (b) {
      b.setAttribute("aria-label", copyLabel);
    });
    // Example and response bodies scroll: reachable by keyboard.
    root.querySelectorAll(".microlight:not([tabindex])").forEach(function (code) {
      code.setAttribute("tabindex", "0");
      code.setAttribute("role", "region");
      code.setAttribute("aria-label", codeLabel);
    });
  }

  new MutationObserver(function () {
    fix(document);
  }).observe(document.getElementById("swagger-ui"), { childList: true, subtree: true });
  fix(document);
})();
