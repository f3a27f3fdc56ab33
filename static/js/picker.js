/* Searchable pickers over <select data-picker="/staff/pick/…/">: type part of a name,
   choose with the mouse or the arrow keys and Enter. The select stays in the form (hidden)
   and carries the value, so the server reads the same field with or without this script. */
(function () {
  "use strict";

  function enhance(select) {
    var multiple = select.multiple;
    var wrap = document.createElement("div");
    wrap.className = "picker";
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.placeholder = select.dataset.placeholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    if (select.id) {
      input.id = select.id + "-search";
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (label) { label.htmlFor = input.id; }
    }
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.id = (select.id || select.name) + "-options";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var chosen = document.createElement("ul");
    chosen.className = "chosen";
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(input);
    wrap.appendChild(list);
    if (multiple) { wrap.appendChild(chosen); }
    wrap.appendChild(select);
    select.hidden = true;
    select.tabIndex = -1;

    var active = -1, timer = null, asked = 0;

    function selectedOptions() {
      return Array.prototype.filter.call(select.options, function (o) { return o.selected && o.value; });
    }

    function showChosen() {
      if (!multiple) {
        var one = selectedOptions()[0];
        input.value = one ? one.textContent : "";
        return;
      }
      chosen.textContent = "";
      selectedOptions().forEach(function (option) {
        var item = document.createElement("li");
        item.textContent = option.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", option.textContent);
        remove.addEventListener("click", function () { option.remove(); showChosen(); });
        item.appendChild(remove);
        chosen.appendChild(item);
      });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function choose(value, label) {
      if (!multiple) {
        Array.prototype.slice.call(select.options).forEach(function (o) { if (o.value) { o.remove(); } });
      }
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      if (!option) {
        option = new Option(label, value);
        select.add(option);
      }
      option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      showChosen();
      if (multiple) { input.value = ""; }
    }

    function render(results) {
      list.textContent = "";
      var group = null;
      results.forEach(function (row, index) {
        if (row.group && row.group !== group) {
          group = row.group;
          var heading = document.createElement("li");
          heading.className = "group";
          heading.setAttribute("role", "presentation");
          heading.textContent = group;
          list.appendChild(heading);
        }
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = list.id + "-" + index;
        item.dataset.value = row.value;
        item.textContent = row.label;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(row.value, row.label);
        });
        list.appendChild(item);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "group";
        none.textContent = "—";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function search() {
      var ask = ++asked;
      var url = new URL(select.dataset.picker, window.location.href);
      url.searchParams.set("q", input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ask === asked) { render(data.results); } });
    }

    function move(step) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (active + step + options.length) % options.length;
      options.forEach(function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!multiple && !input.value.trim()) {
        Array.prototype.forEach.call(select.options, function (o) { o.selected = !o.value; });
      }
      timer = setTimeout(search, 150);
    });
    input.addEventListener("focus", function () { if (list.hidden) { search(); } });
    input.addEventListener("blur", function () { setTimeout(function () { close(); if (!multiple) { showChosen(); } }, 100); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { search(); } else { move(1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && !list.hidden) {
        var options = list.querySelectorAll("[role=option]");
        var pick = options[active >= 0 ? active : 0];
        if (pick) { event.preventDefault(); choose(pick.dataset.value, pick.textContent); }
      }
    });
    showChosen();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-picker]:not([data-picker-ready])").forEach(function (select) {
      select.setAttribute("data-picker-ready", "");
      enhance(select);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
