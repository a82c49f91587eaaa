// The follow-up questions of a ticket rating depend on the rating: show those of the rating
// now chosen (a static file, as the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (event.target.name !== "rating") { return; }
    document.querySelectorAll("[data-show-for]").forEach(function (block) {
      var shown = block.dataset.showFor.split(" ").indexOf(event.target.value) !== -1;
      block.hidden = !shown;
      block.disabled = !shown;
    });
  });
})();
