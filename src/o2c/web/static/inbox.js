// The inbox's "select all on this page" box (no inline handlers: the page has a strict CSP).
(function () {
  "use strict";
  const all = document.getElementById("pick-all");
  if (!all) { return; }
  all.addEventListener("change", function () {
    document.querySelectorAll(all.dataset.picks).forEach(function (box) { box.checked = all.checked; });
  });
})();
