// Draws the dashboard's charts from the JSON the page embeds (id="dashboard-data"); no inline code.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const palette = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777"];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (canvas) { canvas.chart = new Chart(canvas, config); }
  }

  draw("chart-dso", {type: "line", data: {labels: data.dso.labels,
    datasets: [{label: "DSO (days)", data: data.dso.values, borderColor: palette[0], tension: 0.2, spanGaps: true}]}});
  draw("chart-aging", {type: "bar", data: {labels: data.aging.labels,
    datasets: [{label: data.currency, data: data.aging.values,
                backgroundColor: ["#16a34a", "#84cc16", "#f59e0b", "#f97316", "#dc2626"]}]},
    options: {plugins: {legend: {display: false}}}});
  draw("chart-segment", {type: "bar", data: {labels: data.segment.labels,
    datasets: [{label: data.currency, data: data.segment.values, backgroundColor: palette[0]}]},
    options: {indexAxis: "y", plugins: {legend: {display: false}}}});
  draw("chart-agents", {type: "bar", data: {labels: data.agents.labels,
    datasets: data.agents.series.map((s, i) => ({label: s.name, data: s.values, backgroundColor: palette[i % palette.length]}))},
    options: {scales: {x: {stacked: true}, y: {stacked: true}}}});
  draw("chart-disputes", {type: "doughnut", data: {labels: data.disputes.labels,
    datasets: [{data: data.disputes.values, backgroundColor: palette}]}});
  draw("chart-automation", {type: "bar", data: {labels: ["Touchless orders", "Cash auto-matched"],
    datasets: [{label: "%", data: data.automation, backgroundColor: [palette[1], palette[5]]}]},
    options: {scales: {y: {min: 0, max: 100}}, plugins: {legend: {display: false}}}});
})();
