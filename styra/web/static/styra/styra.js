/* Styra's only page script (no inline script: the Content-Security-Policy forbids it).
   Every page works without it; it only folds the menu on small screens. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // A table's scroll frame can be reached and scrolled from the keyboard (WCAG 2.1.1):
  // a focusable region named by the table's caption.
  function frames(root) {
    var wraps = (root || document).querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.hasAttribute("tabindex")) continue;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var caption = wrap.querySelector("caption");
      wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabell");
    }
  }
  document.addEventListener("htmx:afterSettle", function (e) { frames(e.target); });
  document.addEventListener("DOMContentLoaded", function () {
    frames(document);
    var button = document.querySelector(".nav-toggle");
    var list = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    button.addEventListener("click", function () {
      var open = list.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
