// Keyboard and screen-reader help that HTML alone cannot give (no build, no eval, no inline code):
// - a form sent back with errors: its error summary (includes/form_errors.html, rendered by the
//   server) gets focus and the page's title starts with "Error:"; only a form that lacks the
//   include but shows invalid fields through includes/field.html gets one built here, never a
//   second one beside the server's;
// - after an htmx swap that removed the focused element, focus goes to the new content's element
//   marked data-focus-after-swap, else its first heading, else its first control, never <body>;
// - Esc hides a chart's tooltip (WCAG 1.4.13: content on hover can be dismissed).
(function () {
  "use strict";
  var HEADINGS = "h1, h2, h3, h4, h5, h6";
  var CONTROLS = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
                 "select:not([disabled]), textarea:not([disabled]), [tabindex]";

  function words() {
    var meta = document.querySelector('meta[name="phare-a11y"]');
    return {
      error: (meta && meta.getAttribute("data-error-title")) || "Error:",
      summary: (meta && meta.getAttribute("data-summary-title")) || "There is a problem"
    };
  }

  function focus(element) {
    if (!element.matches(CONTROLS)) { element.setAttribute("tabindex", "-1"); }
    element.focus();
  }

  // A summary for a form whose invalid fields came through includes/field.html.
  function buildSummary(form) {
    var invalid = form.querySelectorAll(".field.invalid");
    if (!invalid.length) { return null; }
    var summary = document.createElement("div");
    var heading = document.createElement("h2");
    var list = document.createElement("ul");
    summary.className = "errors error-summary";
    summary.setAttribute("data-error-summary", "");
    heading.id = "error-summary-title-" + Math.random().toString(36).slice(2, 8);
    heading.textContent = words().summary;
    summary.setAttribute("aria-labelledby", heading.id);
    invalid.forEach(function (field) {
      var control = field.querySelector("input:not([type=hidden]), select, textarea");
      var name = field.querySelector("legend, label");
      var error = field.querySelector(".error");
      var item = document.createElement("li");
      var text = (name ? name.textContent.replace("*", "").trim() : "") +
                 (error ? ": " + error.textContent.replace(words().error, "").trim() : "");
      if (control && control.id) {
        var link = document.createElement("a");
        link.href = "#" + control.id;
        link.textContent = text;
        item.appendChild(link);
      } else {
        item.textContent = text;
      }
      list.appendChild(item);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    form.insertBefore(summary, form.firstChild);
    return summary;
  }

  function errorSummary(root) {
    var found = root.querySelector("[data-error-summary]");
    if (found) { return found; }
    var field = root.querySelector("form .field.invalid");
    return field ? buildSummary(field.closest("form")) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = errorSummary(document);
    if (!summary) { return; }
    var prefix = summary.getAttribute("data-title-prefix") || words().error;
    if (document.title.indexOf(prefix) !== 0) { document.title = prefix + " " + document.title; }
    focus(summary);
  });

  // A link of the summary moves focus to its field, not only the scroll position.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({block: "center"});
      field.focus();
    }
  });

  var focusedBefore = null;
  document.addEventListener("htmx:beforeSwap", function () { focusedBefore = document.activeElement; });
  document.addEventListener("htmx:afterSettle", function (event) {
    var before = focusedBefore;
    var active = document.activeElement;
    // Only when the swap took the focus away: polling and loads never move a reader's focus.
    if (!before || before === document.body || (before.isConnected && active !== document.body)) {
      return;
    }
    if (active && active !== document.body && active.isConnected) { return; }  // htmx kept it
    var region = event.target;
    if (!region || !region.isConnected || region === document.body || !region.querySelector) { return; }
    focusedBefore = null;
    var target = errorSummary(region) ||
                 (region.matches("[data-focus-after-swap]") ? region : null) ||
                 region.querySelector("[data-focus-after-swap]") ||
                 region.querySelector(HEADINGS) || region.querySelector(CONTROLS) || region;
    focus(target);
  });

  // Vega's tooltip is one element for the page (vega-tooltip's #vg-tooltip-element).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("#vg-tooltip-element.visible, .vg-tooltip.visible").forEach(
      function (tooltip) { tooltip.classList.remove("visible"); });
  });
})();
