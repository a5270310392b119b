// "Copy" buttons: <button data-copy-target="id"> copies the value of the field with that id
// (the new API token on /desk/account/tokens/) and says so in its status element
// (data-copy-status="id"). Without JavaScript the field stays selectable by hand.
(() => {
  "use strict";
  for (const button of document.querySelectorAll("button[data-copy-target]")) {
    const field = document.getElementById(button.dataset.copyTarget);
    const status = document.getElementById(button.dataset.copyStatus || "");
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      field.focus();
      field.select();
      let copied = false;
      try {
        await navigator.clipboard.writeText(field.value);
        copied = true;
      } catch {
        copied = document.execCommand && document.execCommand("copy");
      }
      if (status) status.textContent = copied ? button.dataset.copied : button.dataset.failed;
    });
  }
})();
