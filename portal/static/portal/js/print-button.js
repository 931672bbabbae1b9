// The 打印 buttons of the printable pages (templates/includes/print_button.html): shown and
// wired to window.print() when the browser has it. A static file, not an inline script: the
// Content-Security-Policy allows scripts from the portal only (docs/deployment.md).
(function () {
  if (typeof window.print !== "function") return;
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
