// The page's shell on small screens (no inline script: the Content-Security-Policy forbids it).
// 1. The main menu folds behind its "Menu" button on phones (phare.css hides the button on
//    wider screens). Loaded right after the header, so the menu is folded before the first paint;
//    without this script the button stays hidden and the menu stays open.
// 2. Every `.table` scrolls inside its own region instead of widening the page; a region that
//    does scroll can take the keyboard focus (so it can be scrolled without a mouse).
(function () {
  "use strict";

  function setUpMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) { return; }
    var header = toggle.parentNode;
    function isOpen() { return toggle.getAttribute("aria-expanded") === "true"; }
    function set(open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
    toggle.hidden = false;
    header.classList.add("menu-folds");
    toggle.addEventListener("click", function () { set(!isOpen()); });
    // Escape closes the open menu and gives the focus back to its button.
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen() && toggle.offsetParent !== null) {
        set(false);
        toggle.focus();
      }
    });
  }

  function labelOf(table) {
    var caption = table.querySelector("caption");
    return caption ? caption.textContent.trim() : "";
  }

  function wrapTables(root) {
    root = root || document;
    var tables = Array.prototype.slice.call(root.querySelectorAll("table.table"));
    if (root.matches && root.matches("table.table")) { tables.push(root); }
    tables.forEach(function (table) {
      var parent = table.parentNode;
      if (!parent || (parent.classList && parent.classList.contains("table-scroll"))) { return; }
      var region = document.createElement("div");
      region.className = "table-scroll";
      parent.insertBefore(region, table);
      region.appendChild(table);
    });
    updateRegions();
  }

  function updateRegions() {
    document.querySelectorAll(".table-scroll").forEach(function (region) {
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        var table = region.querySelector("table");
        var label = table ? labelOf(table) : "";
        // A region is named by its table's caption; without one it stays a plain group.
        if (label) {
          region.setAttribute("role", "region");
          region.setAttribute("aria-label", label);
        }
        region.setAttribute("data-scrolls", "");
      } else if (!scrolls && region.hasAttribute("data-scrolls")) {
        ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (name) {
          region.removeAttribute(name);
        });
      }
    });
  }

  setUpMenu();
  document.addEventListener("DOMContentLoaded", function () { wrapTables(document); });
  document.addEventListener("htmx:afterSettle", function (event) { wrapTables(event.target); });
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(updateRegions, 150);
  });
})();
