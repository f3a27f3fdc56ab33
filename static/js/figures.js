// Charts of the figures pages, drawn with the vendored Apache ECharts from the table
// beside each chart: the table is the data (and what a screen reader reads), the chart
// only shows it. No chart without JavaScript; the tables stay.
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text).replace("%", ""));
    return isNaN(value) ? 0 : value;
  }

  function draw(holder) {
    var table = holder.nextElementSibling;
    if (!table || table.tagName !== "TABLE" || !window.echarts) return;
    var heads = table.querySelectorAll("thead th");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"), 0, 30);
    var columns = holder.dataset.series.split(",").map(Number);
    var kind = holder.dataset.chart;
    var names = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var series = columns.map(function (column) {
      return {
        name: heads[column].textContent.trim(),
        type: kind,
        data: rows.map(function (row) { return number(row.cells[column].textContent); }),
      };
    });
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 48 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    document.querySelectorAll(".chart[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
