// Filtering, search and sorting for the findings table. The report reads fine without it.
(function () {
  "use strict";
  var controls = document.getElementById("controls");
  if (!controls) { return; }
  controls.hidden = false;
  var rule = document.getElementById("f-rule");
  var conf = document.getElementById("f-confidence");
  var status = document.getElementById("f-status");
  var query = document.getElementById("f-search");
  var order = document.getElementById("f-sort");
  var shown = document.getElementById("shown");
  var list = document.getElementById("files");
  var files = Array.prototype.slice.call(list.querySelectorAll("section.file"));
  var total = list.querySelectorAll("tr.finding").length;

  function matches(row, q) {
    if (rule.value && row.dataset.rule !== rule.value) { return false; }
    if (conf.value && row.dataset.confidence !== conf.value) { return false; }
    if (status && status.value && row.dataset.status !== status.value) { return false; }
    return !q || row.textContent.toLowerCase().indexOf(q) !== -1 ||
      row.closest("section").dataset.path.toLowerCase().indexOf(q) !== -1;
  }

  function apply() {
    var q = query.value.trim().toLowerCase();
    var visible = 0;
    files.forEach(function (file) {
      var left = 0;
      file.querySelectorAll("tr.finding").forEach(function (row) {
        var ok = matches(row, q);
        row.hidden = !ok;
        if (ok) { left += 1; }
      });
      file.hidden = left === 0;
      visible += left;
    });
    shown.textContent = "Showing " + visible + " of " + total + " findings";
  }

  var rank = { high: 3, medium: 2, low: 1 };
  function sort() {
    var key = order.value;
    var sorted = files.slice().sort(function (a, b) {
      if (key === "count") { return b.dataset.count - a.dataset.count || a.dataset.path.localeCompare(b.dataset.path); }
      if (key === "confidence") { return rank[b.dataset.top] - rank[a.dataset.top] || b.dataset.count - a.dataset.count; }
      return a.dataset.path.localeCompare(b.dataset.path);
    });
    sorted.forEach(function (file) { list.appendChild(file); });
  }

  [rule, conf, status].forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  query.addEventListener("input", apply);
  order.addEventListener("change", sort);
  apply();
})();
