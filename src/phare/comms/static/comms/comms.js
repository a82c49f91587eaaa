// The communication pages' behaviour, without inline script (the Content-Security-Policy
// allows none): forms marked data-confirm ask before they post (sending, deleting,
// cancelling); the action form shows the fields of its channel only (data-channels), and
// always a part that holds an error.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  function showChannel(form) {
    var select = form.querySelector("select[name=channel]");
    if (!select) { return; }
    form.querySelectorAll("[data-channels]").forEach(function (part) {
      var wanted = part.dataset.channels.split(" ").indexOf(select.value) !== -1;
      part.hidden = !wanted && !part.querySelector(".invalid");
    });
  }

  function setUp() {
    document.querySelectorAll("form[data-channel-form]").forEach(function (form) {
      showChannel(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "channel") { showChannel(form); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
