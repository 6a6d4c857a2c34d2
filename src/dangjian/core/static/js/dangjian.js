/* Behaviour every page shares. The Content-Security-Policy allows scripts from our own
   static files only, so templates carry data attributes and this file acts on them:
   data-dj-width="42"  sets a bar's width to 42% (progress bars);
   data-dj-back        on a link, goes back in history when there is somewhere to go. */
(function () {
  "use strict";

  function setWidths(root) {
    root.querySelectorAll("[data-dj-width]").forEach(function (el) {
      var percent = Math.max(0, Math.min(100, parseFloat(el.dataset.djWidth) || 0));
      el.style.width = percent + "%";
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-dj-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { setWidths(document); });
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:load", function (event) { setWidths(event.detail.elt); });
})();
