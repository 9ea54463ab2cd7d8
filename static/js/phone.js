/* Phone layouts that need to know the page: runs once, after the HTML is parsed.
   - Tables stack as cards under 576 px (see phone.css); each cell is given its column's
     heading as data-label, so a card reads "原因：不同意改管线" rather than a bare value.
   - A tab row that scrolls keeps its current tab in view.
   Without JavaScript the cards still stack, only the labels are missing. */
(function () {
  "use strict";
  function labelCells(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      var span = th.colSpan || 1;
      for (var i = 0; i < span; i += 1) { labels.push(th.textContent.replace(/\s+/g, " ").trim()); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && labels[column]) { cell.setAttribute("data-label", labels[column]); }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  function ready() {
    document.querySelectorAll("table.table-stack, main table.table").forEach(function (table) {
      if (table.classList.contains("table-keep")) { return; }
      table.classList.add("table-stack");
      labelCells(table);
    });
    document.querySelectorAll(".nav-scroll .active, .nav-tabs .active").forEach(function (link) {
      var row = link.closest(".nav");
      if (row && row.scrollWidth > row.clientWidth) {
        row.scrollLeft = Math.max(0, link.offsetLeft - row.clientWidth / 3);
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
  document.addEventListener("htmx:afterSwap", ready);
}());
