// Draws every chart of the page with vegaEmbed (from the vl-convert bundle), including the
// charts htmx swaps in later. The figures stay available in each chart's table.
// Numbers and dates follow the page's language: the spec carries it in config.locale (built
// on the server in the reader's language), also given to vega-embed for its tooltips.
(function () {
  "use strict";
  function draw(root) {
    var nodes = (root || document).querySelectorAll("[data-vega-spec]:not([data-drawn])");
    nodes.forEach(function (node) {
      var source = document.getElementById(node.getAttribute("data-vega-spec"));
      if (!source || typeof window.vegaEmbed !== "function") { return; }
      node.setAttribute("data-drawn", "");
      var spec = JSON.parse(source.textContent);
      var locale = (spec.config && spec.config.locale) || {};
      // ast + Vega's expression interpreter: no eval, as the Content-Security-Policy wants.
      var options = {actions: false, renderer: "svg", ast: true};
      if (locale.number) { options.formatLocale = locale.number; }
      if (locale.time) { options.timeFormatLocale = locale.time; }
      window.vegaEmbed(node, spec, options)
        .then(function () {
          // The canvas is one image named by its aria-label, its figures in the table below:
          // Vega's marks (unnamed in layered charts) are hidden from assistive technologies.
          var svg = node.querySelector("svg");
          if (svg) { svg.setAttribute("aria-hidden", "true"); }
        })
        .catch(function (error) { node.textContent = String(error); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
