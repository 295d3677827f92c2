/* citykg timeline: a click on a row (or an undated item) shows its evidence in the panel.
 * The details are in the page already, escaped; this only shows and hides them. */
(function () {
  "use strict";
  var panel = document.getElementById("tl-panel");
  var shown = null;

  function press(index) {
    document.querySelectorAll("[data-item]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-item") === index ? "true" : "false");
    });
  }
  function show(index) {
    var detail = document.getElementById("tl-detail-" + index);
    if (!detail) return false;
    if (shown) shown.hidden = true;
    detail.hidden = false;
    shown = detail;
    panel.hidden = false;
    panel.scrollTop = 0;
    press(String(index));
    return true;
  }
  function hide() {
    if (shown) shown.hidden = true;
    shown = null;
    panel.hidden = true;
    press("");
  }
  document.querySelectorAll("[data-item]").forEach(function (b) {
    b.addEventListener("click", function () { show(b.getAttribute("data-item")); });
  });
  document.getElementById("tl-close").addEventListener("click", hide);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });

  window.citykgTimeline = { show: show, hide: hide };
  window.citykgReady = true;
})();
