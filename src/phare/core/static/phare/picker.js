// Searchable pickers (phare/lib/widgets.py): each <select data-picker> becomes a combobox, a
// text box whose list of options filters as one types (ARIA 1.2 combobox pattern). The select
// stays in the form, hidden, and is what the form submits: without this script it is the field.
// - the text box takes the select's id, so the label, the error summary's links and
//   aria-describedby keep pointing at what the person uses;
// - a multiple select shows its choices as chips, each with a button that removes it;
// - data-picker-url: options come from the server (?q=, answers {"results": [{value, label,
//   detail}]}), and a chosen one is added to the select;
// - words come from the select's data-picker-* attributes, in the page's language.
// No build, no eval, no inline code; runs again on content swapped in by htmx.
(function () {
  "use strict";
  var LIMIT = 100;
  var count = 0;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function make(tag, className) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    return element;
  }

  function enhance(select) {
    if (select.hasAttribute("data-picker-ready")) { return; }
    select.setAttribute("data-picker-ready", "");
    var word = function (name) { return select.getAttribute("data-picker-" + name) || ""; };
    var multiple = select.multiple;
    var url = select.getAttribute("data-picker-url");
    var id = select.id || ("picker-" + (++count));
    var wrap = make("span", "picker");
    var chips = make("ul", "picker-chosen");
    var input = make("input", "picker-input");
    var list = make("ul", "picker-options");
    var status = make("span", "visually-hidden");
    var items = [];       // what the list shows: {value, label, detail}
    var active = -1;      // index in items of the highlighted option
    var asked = 0;        // the latest server search, to ignore answers that come late
    var timer = null;

    select.id = id + "-select";
    input.id = id;
    input.type = "text";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-options");
    var blank = Array.prototype.find.call(select.options, function (o) { return !o.value; });
    // An empty option's words ("All", not "—") say what an empty box means, unless told otherwise.
    input.placeholder = word("placeholder") ||
      (blank && /\p{L}/u.test(blank.text) ? blank.text : word("search"));
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    if (select.required) { input.setAttribute("aria-required", "true"); select.required = false; }
    if (select.disabled) { input.disabled = true; }
    list.id = id + "-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    if (multiple) { list.setAttribute("aria-multiselectable", "true"); }
    status.setAttribute("role", "status");
    chips.hidden = !multiple;
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    wrap.appendChild(chips);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select.nextSibling);

    function chosenLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }

    function say(text) { status.textContent = text; }

    function drawChips() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || !option.value) { return; }
        var chip = make("li", "picker-chip");
        var text = make("span");
        var remove = make("button", "picker-remove");
        text.textContent = option.text;
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", word("remove") + " " + option.text);
        remove.addEventListener("click", function () {
          option.selected = false;
          changed(word("removed") + " " + option.text);
          input.focus();
        });
        chip.appendChild(text);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
      chips.hidden = !multiple || !chips.children.length;
    }

    function changed(message) {
      if (multiple) { drawChips(); } else { input.value = chosenLabel(); }
      // Both, as a select would: htmx triggers listen to either (a wave's audience to "input").
      select.dispatchEvent(new Event("input", {bubbles: true}));
      select.dispatchEvent(new Event("change", {bubbles: true}));
      say(message);
    }

    function isChosen(value) {
      return Array.prototype.some.call(select.options, function (option) {
        return option.selected && option.value === value;
      });
    }

    function draw() {
      list.textContent = "";
      items.forEach(function (item, index) {
        var option = make("li", "picker-option");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", isChosen(item.value) ? "true" : "false");
        option.textContent = item.label;
        if (item.detail) {
          var detail = make("span", "picker-detail");
          detail.textContent = item.detail;
          option.appendChild(detail);
        }
        if (index === active) { option.classList.add("active"); }
        // mousedown, not click: the text box keeps the focus (and its list stays open).
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        list.appendChild(option);
      });
      if (!items.length) {
        var none = make("li", "picker-none");
        none.textContent = input.value.trim().length < 2 && url ? word("type") : word("none");
        list.appendChild(none);
      }
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", list.id + "-" + active);
        var shown = document.getElementById(list.id + "-" + active);
        if (shown && shown.scrollIntoView) { shown.scrollIntoView({block: "nearest"}); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(found, more) {
      items = found;
      active = -1;
      draw();
      open();
      say(items.length ? word("results") + " " + items.length + (more ? ". " + word("more") : "")
                       : list.textContent);
    }

    // The query, if the text box shows what is chosen rather than a search, is empty.
    function query() {
      var text = input.value.trim();
      return !multiple && text === chosenLabel() ? "" : text;
    }

    function search() {
      var q = query();
      if (url) {
        if (q.length < 2) { show([], false); return; }
        var mine = ++asked;
        fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q),
              {headers: {"Accept": "application/json"}, credentials: "same-origin"})
          .then(function (answer) { return answer.ok ? answer.json() : {results: []}; })
          .then(function (data) { if (mine === asked) { show(data.results || [], false); } })
          .catch(function () { if (mine === asked) { show([], false); } });
        return;
      }
      var words = fold(q).split(/\s+/).filter(Boolean);
      var found = [];
      var total = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        if (multiple && !option.value) { return; }
        var text = fold(option.text);
        if (words.every(function (w) { return text.indexOf(w) >= 0; })) {
          total += 1;
          if (found.length < LIMIT) { found.push({value: option.value, label: option.text}); }
        }
      });
      show(found, total > found.length);
    }

    function choose(item) {
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === item.value;
      });
      if (!option) {
        option = new Option(item.detail ? item.label + " (" + item.detail + ")" : item.label,
                            item.value);
        select.appendChild(option);
      }
      if (multiple) {
        option.selected = !option.selected;
        changed((option.selected ? word("added") : word("removed")) + " " + option.text);
        input.value = "";
        search();  // the whole list again, to pick another
      } else {
        option.selected = true;
        close();
        changed(word("added") + " " + option.text);
      }
    }

    function move(step) {
      if (list.hidden) { search(); }
      if (!items.length) { return; }
      active = active < 0 && step < 0 ? items.length - 1
        : (active + step + items.length) % items.length;
      draw();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      // Local options filter at once (an arrow key right after typing moves in the new list);
      // the server is asked once typing pauses.
      if (url) { timer = setTimeout(search, 200); } else { search(); }
    });
    input.addEventListener("focus", function () { if (!multiple) { input.select(); } });
    input.addEventListener("click", function () { if (list.hidden) { search(); } });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault();  // picking an option never sends the form
        if (active >= 0) { choose(items[active]); }
        else if (items.length === 1) { choose(items[0]); }
      } else if (event.key === "Enter" && query()) {
        event.preventDefault();  // a search under way (the server not answered yet) is no answer
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
        if (!multiple) { input.value = chosenLabel(); }
      } else if (event.key === "Backspace" && multiple && !input.value) {
        var last = Array.prototype.filter.call(select.options, function (o) {
          return o.selected && o.value;
        }).pop();
        if (last) { last.selected = false; changed(word("removed") + " " + last.text); }
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (multiple) { input.value = ""; return; }
      if (!input.value.trim()) {
        // An emptied text box clears the choice when the select offers an empty option.
        var empty = Array.prototype.find.call(select.options, function (o) { return !o.value; });
        if (empty && !empty.selected) { empty.selected = true; changed(word("removed")); return; }
      }
      input.value = chosenLabel();
    });

    if (multiple) { drawChips(); } else { input.value = chosenLabel(); }
  }

  function enhanceAll(root) {
    if (!root.querySelectorAll) { return; }
    if (root.matches && root.matches("select[data-picker]")) { enhance(root); }
    root.querySelectorAll("select[data-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.detail.elt); });
})();
