// Draws every chart of the page with vegaEmbed (from the vl-convert bundle), including the
// charts htmx swaps in later. The figures stay available in each chart's table.
(function () {
  "use strict";
  function draw(root) {
    var nodes = (root || document).querySelectorAll("[data-vega-spec]:not([data-drawn])");
    nodes.forEach(function (node) {
      var source = document.getElementById(node.getAttribute("data-vega-spec"));
      if (!source || typeof window.vegaEmbed !== "function") { return; }
      node.setAttribute("data-drawn", "");
      // ast + Vega's expression interpreter: no eval, as the Content-Security-Policy wants.
      window.vegaEmbed(node, JSON.parse(source.textContent),
                       {actions: false, renderer: "svg", ast: true})
        .catch(function (error) { node.textContent = String(error); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
