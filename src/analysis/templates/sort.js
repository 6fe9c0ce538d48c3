// Sortable league table: click a column heading to sort by it (again to reverse). The headings that
// sort are the last header row; its cells line up with the body's cells. A cell carries its sort key
// in data-sort (a number, or text such as the region's CBS code) and may carry a second key in
// data-sort2 (the verdict's order, which sorts the regions without a number). Cells without a number
// go last in either direction; ties keep CBS's order of the regions.
(function () {
  "use strict";
  var table = document.getElementById("league-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var headings = table.tHead.rows[table.tHead.rows.length - 1].cells;
  Array.prototype.forEach.call(body.rows, function (row, index) { row.dataset.order = String(index); });

  function compareKeys(x, y) {
    var nx = Number(x), ny = Number(y);
    if (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) { return nx - ny; }
    return x < y ? -1 : (x > y ? 1 : 0);
  }

  Array.prototype.forEach.call(headings, function (th, column) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headings, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var cellA = a.cells[column], cellB = b.cells[column];
        var x = cellA.dataset.sort || "", y = cellB.dataset.sort || "";
        if ((x === "") !== (y === "")) { return x === "" ? 1 : -1; }  // without a number: last, either way
        var order = x === "" ? compareKeys(cellA.dataset.sort2 || "", cellB.dataset.sort2 || "") : compareKeys(x, y);
        if (order === 0) { return Number(a.dataset.order) - Number(b.dataset.order); }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
}());
