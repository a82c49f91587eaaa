// Metric names ({% metric %}): the stylesheet shows a metric's definition while its name is
// hovered or has the keyboard focus. This script keeps the definition on the screen — under
// the name, or above it near the bottom, moved left near the right edge, never clipped by a
// table that scrolls in its own region — and lets Escape hide it (WCAG 1.4.13).
(function () {
  "use strict";
  var MARGIN = 8;
  var open = null;

  function place(metric) {
    var tip = metric.querySelector(".metric-tip");
    var name = metric.querySelector(".metric-name");
    if (!tip || !name) { return; }
    metric.classList.remove("metric-dismissed");
    tip.classList.add("metric-placed");
    var box = name.getBoundingClientRect();
    var width = tip.offsetWidth;
    var height = tip.offsetHeight;
    var left = Math.max(MARGIN, Math.min(box.left, window.innerWidth - MARGIN - width));
    var top = box.bottom + 4;
    if (top + height > window.innerHeight - MARGIN && box.top - 4 - height >= MARGIN) {
      top = box.top - 4 - height;
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
    open = metric;
  }

  function metricOf(target) {
    return target && target.closest ? target.closest(".metric") : null;
  }

  document.addEventListener("mouseover", function (event) {
    var metric = metricOf(event.target);
    if (metric && metric !== open) { place(metric); }
  });
  document.addEventListener("mouseout", function (event) {
    var metric = metricOf(event.target);
    if (metric && metric === open && !metric.contains(event.relatedTarget)) { open = null; }
  });
  document.addEventListener("focusin", function (event) {
    var metric = metricOf(event.target);
    if (metric) { place(metric); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      open.classList.add("metric-dismissed");
      open = null;
    }
  });
  function follow() { if (open) { place(open); } }
  window.addEventListener("scroll", follow, true);
  window.addEventListener("resize", follow);
}());
