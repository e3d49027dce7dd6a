// daybook serve's live script: shows the build's diagnostics over the page and reloads the
// page when a newer build is out. Added to every page the preview serves, never to the
// built site.
"use strict";
(function () {
  const shown = Number(document.currentScript.dataset.generation);
  const POLL_MS = 500;

  // The diagnostics as the terminal shows them, in a box at the foot of the window. Text
  // only (textContent), so nothing in a note can become markup here.
  function banner(status) {
    const messages = status.failure ? [status.failure] : status.diagnostics;
    if (messages.length === 0) {
      return;
    }
    const box = document.createElement("aside");
    box.id = "daybook-diagnostics";
    box.setAttribute("role", "status");
    box.setAttribute("aria-label", "Build diagnostics");
    box.style.cssText =
      "position:fixed;inset:auto 0 0 0;max-height:40vh;overflow:auto;margin:0;" +
      "padding:0.5em 1em;background:#fff8e1;color:#3e2723;border-top:3px solid " +
      (status.errors > 0 || status.failure ? "#c62828" : "#f9a825") +
      ";font:0.85rem/1.4 monospace;z-index:10";
    const title = document.createElement("strong");
    const count = (n, what) => n + " " + what + (n === 1 ? "" : "s");
    title.textContent = status.failure
      ? "The build failed"
      : count(status.errors, "error") + ", " + count(status.warnings, "warning");
    const text = document.createElement("pre");
    text.style.cssText = "margin:0.3em 0 0;white-space:pre-wrap";
    text.textContent = messages.join("");
    box.append(title, text);
    document.body.append(box);
    // Room below the page's end, so the box never hides its last lines.
    document.body.style.paddingBottom = box.offsetHeight + "px";
  }

  let first = true;
  function poll() {
    fetch("/_daybook/status", { cache: "no-store" })
      .then((answer) => answer.json())
      .then((status) => {
        if (status.generation !== shown) {
          location.reload();
          return;
        }
        if (first) {
          banner(status);
          first = false;
        }
        setTimeout(poll, POLL_MS);
      })
      // The server stopped (or is restarting): try again, quietly, until it is back.
      .catch(() => setTimeout(poll, POLL_MS * 4));
  }
  poll();
})();
