// The audience form (a static file: the Content-Security-Policy allows no inline script): the
// fields that qualify a criterion (sub-units, teams, usage state…) are shown once the criterion
// itself is filled in. They are only hidden, never disabled: the server ignores them alone.
(function () {
  "use strict";
  function filled(form, name) {
    var field = form.elements.namedItem(name);
    if (!field) { return false; }
    if (field.tagName === "SELECT" && field.multiple) { return field.selectedOptions.length > 0; }
    return String(field.value || "").trim() !== "";
  }
  function update(form) {
    form.querySelectorAll("[data-depends]").forEach(function (block) {
      var names = block.dataset.depends.split(" ");
      var invalid = block.querySelector(".invalid, .error");
      block.hidden = !invalid && !names.some(function (name) { return filled(form, name); });
    });
  }
  function setUp() {
    var form = document.getElementById("audience-form");
    if (!form) { return; }
    update(form);
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
