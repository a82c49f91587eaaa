// Progressive enhancement of the answering page's number, slider and ranking inputs. Without it
// everything still works: the server checks totals and ranks and says what is wrong.
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text).replace(",", "."));
    return isNaN(value) ? 0 : value;
  }

  // A constant sum's running total, next to the total it must reach.
  function updateTotal(box) {
    var sum = 0;
    box.querySelectorAll("input[type=number]").forEach(function (input) { sum += number(input.value); });
    var output = box.querySelector("[data-sum]");
    if (!output) { return; }
    var rounded = Math.round(sum * 1e6) / 1e6;
    output.textContent = String(rounded);
    box.classList.toggle("total-off", rounded !== number(box.dataset.total));
  }

  function updateAll(root) {
    root.querySelectorAll("[data-total]").forEach(updateTotal);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target.matches("input[data-slider]")) {
      var output = document.getElementById("out-" + target.name);
      if (output) { output.textContent = target.value; }
      var none = document.querySelector("[data-slider-none='" + target.id + "']");
      if (none) { none.checked = false; }
    }
    var box = target.closest("[data-total]");
    if (box) { updateTotal(box); }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-slider-none]") && target.checked) {
      var output = document.getElementById("out-" + target.name);
      if (output) { output.textContent = "—"; }
    }
    // A rank given to a second option is taken from the first: each rank once.
    if (target.matches(".rank-row select") && target.value) {
      target.closest(".rank-rows").querySelectorAll("select").forEach(function (other) {
        if (other !== target && other.value === target.value) { other.value = ""; }
      });
    }
  });

  document.addEventListener("DOMContentLoaded", function () { updateAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { updateAll(event.target); });
})();
