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
  var files = Array.prototype.slice.call(list.querySelectorAll("section.file")).map(function (el) {
    var path = el.dataset.path.toLowerCase();
    var rows = Array.prototype.slice.call(el.querySelectorAll("tr.finding")).map(function (row) {
      // Read each row's text once: a search then costs one indexOf per row, not a DOM walk.
      return { el: row, text: path + "\n" + row.textContent.toLowerCase() };
    });
    return { el: el, rows: rows };
  });
  var total = files.reduce(function (n, f) { return n + f.rows.length; }, 0);

  function matches(row, q) {
    var d = row.el.dataset;
    if (rule.value && d.rule !== rule.value) { return false; }
    if (conf.value && d.confidence !== conf.value) { return false; }
    if (status && status.value && d.status !== status.value) { return false; }
    return !q || row.text.indexOf(q) !== -1;
  }

  function apply() {
    var q = query.value.trim().toLowerCase();
    var visible = 0;
    files.forEach(function (file) {
      var left = 0;
      file.rows.forEach(function (row) {
        var ok = matches(row, q);
        row.el.hidden = !ok;
        if (ok) { left += 1; }
      });
      file.el.hidden = left === 0;
      visible += left;
    });
    shown.textContent = "Showing " + visible + " of " + total + " findings";
  }

  var rank = { high: 3, medium: 2, low: 1 };
  function sort() {
    var key = order.value;
    var sorted = files.map(function (f) { return f.el; }).sort(function (a, b) {
      var byPath = a.dataset.path < b.dataset.path ? -1 : (a.dataset.path > b.dataset.path ? 1 : 0);
      if (key === "count") { return b.dataset.count - a.dataset.count || byPath; }
      if (key === "confidence") { return rank[b.dataset.top] - rank[a.dataset.top] || b.dataset.count - a.dataset.count || byPath; }
      return byPath;
    });
    sorted.forEach(function (el) { list.appendChild(el); });
  }

  [rule, conf, status].forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  query.addEventListener("input", apply);
  order.addEventListener("change", sort);
  apply();
})();
