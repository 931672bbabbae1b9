/* The display screen (显示屏): every few seconds, load the next slide and swap it in, so the
   screen rotates and picks up new data without reloading the page. A visible button pauses and
   resumes the rotation (WCAG 2.2.1, 2.2.2); without script the page stays put and its
   "next" link still works. */
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-seconds"), 10) || 20;
  var pause = document.querySelector(".screen__pause");
  var paused = false;
  var timer = null;

  function label() {
    pause.textContent = paused ? pause.getAttribute("data-resume") : pause.getAttribute("data-pause");
    pause.setAttribute("aria-pressed", paused ? "true" : "false");
  }

  function swap(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    ["main", ".screen__clock", ".screen-dots", ".screen__next"].forEach(function (selector) {
      var from = next.querySelector(selector);
      var to = document.querySelector(selector);
      if (from && to) { to.replaceWith(from); }
    });
    body.className = next.body.className;
    body.setAttribute("data-next", next.body.getAttribute("data-next"));
    history.replaceState(null, "", url);
  }

  function advance() {
    var url = body.getAttribute("data-next");
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) { if (!paused) { swap(html, url); } })
      .catch(function () { /* the network dropped: try again at the next tick */ })
      .then(schedule);
  }

  function schedule() {
    clearTimeout(timer);
    if (!paused) { timer = setTimeout(advance, seconds * 1000); }
  }

  pause.hidden = false;
  pause.addEventListener("click", function () {
    paused = !paused;
    label();
    schedule();
  });
  label();
  schedule();
})();
