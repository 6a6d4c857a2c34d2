/* Behaviour every page shares. The Content-Security-Policy allows scripts from our own
   static files only, so templates carry data attributes and this file acts on them:
   data-dj-width="42"  sets a bar's width to 42% (progress bars);
   data-dj-back        on a link, goes back in history when there is somewhere to go;
   data-dj-toggle      on a button, shows or hides the element its aria-controls names;
   data-dj-picker      a list of checkboxes with a search box that filters it by label;
   data-dj-names-option on the name field of row N of a formset ("form-N-name"), names
                       option N of every select marked data-dj-names-select as it is typed
                       (a split's new branches in each person's choice);
   data-dj-sort="N"    a button in the header of column N of a table: sorts its rows by
                       the cells' data-sort-value (numbers as numbers, blanks last),
                       again for the other direction; the header's aria-sort says which.
   data-dj-refresh="300" on the body, reloads the page every 300 seconds (the guidance
                       committee's big screen: a script, as axe refuses a meta refresh).
   An htmx action the server refuses with a 5xx (a full disk, a read-only database) shows
   the error page's sentence above the content instead of doing nothing. */
(function () {
  "use strict";

  function setWidths(root) {
    root.querySelectorAll("[data-dj-width]").forEach(function (el) {
      var percent = Math.max(0, Math.min(100, parseFloat(el.dataset.djWidth) || 0));
      el.style.width = percent + "%";
    });
  }

  // data-dj-picker: typing in its search box hides the options whose label does not
  // contain what was typed (ticked options stay visible).
  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-dj-picker-search]")) { return; }
    var picker = event.target.closest("[data-dj-picker]");
    var typed = event.target.value.trim();
    picker.querySelectorAll(".form-check").forEach(function (option) {
      var box = option.querySelector("input");
      var match = !typed || option.textContent.indexOf(typed) !== -1 || (box && box.checked);
      option.hidden = !match;
    });
  });

  // data-dj-toggle: a button that shows and hides the element its aria-controls names
  // (the organisation tree's branches).
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-dj-toggle]");
    if (!toggle) { return; }
    var target = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (target) { target.hidden = !open; }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-dj-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  function nameOptions(input) {
    var row = /-(\d+)-name$/.exec(input.name);
    if (!row) { return; }
    document.querySelectorAll("select[data-dj-names-select] option[value='" + row[1] + "']")
      .forEach(function (option) {
        if (!option.dataset.djLabel) { option.dataset.djLabel = option.textContent; }
        var name = input.value.trim();
        option.textContent = name ? option.dataset.djLabel + "：" + name : option.dataset.djLabel;
      });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-dj-names-option]")) { nameOptions(event.target); }
  });

  function showError(text) {
    var main = document.querySelector("main") || document.body;
    var box = main.querySelector(".dj-messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "dj-messages";
      main.prepend(box);
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    box.replaceChildren(alert);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr.status < 500) { return; }
    var page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var sentence = page.querySelector("[role=alert] p");
    showError(sentence ? sentence.textContent.trim() : "服务器出错，请稍后重试。");
  });

  // A button that undoes something for other people (withdraw a notice) asks first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dj-confirm]");
    if (button && !window.confirm(button.getAttribute("data-dj-confirm"))) {
      event.preventDefault();
    }
  });

  // data-dj-sort: sort a table's rows by one column (the city overview's hospitals).
  function sortValue(row, column) {
    var cell = row.cells[column];
    var raw = cell ? (cell.dataset.sortValue || "") : "";
    var number = parseFloat(raw);
    return raw === "" ? null : (isNaN(number) ? raw : number);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dj-sort]");
    if (!button) { return; }
    var header = button.closest("th");
    var table = button.closest("table");
    var column = parseInt(button.dataset.djSort, 10);
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th[aria-sort]").forEach(function (th) {
      th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortValue(a, column), y = sortValue(b, column);
      if (x === null || y === null) { return (x === null) - (y === null); }
      var order = x < y ? -1 : (x > y ? 1 : 0);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });

  function scheduleRefresh() {
    var seconds = parseInt(document.body.dataset.djRefresh || "", 10);
    if (seconds > 0) {
      window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setWidths(document);
    scheduleRefresh();
    document.querySelectorAll("[data-dj-names-option]").forEach(nameOptions);
  });
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:load", function (event) { setWidths(event.detail.elt); });
})();
