// Draws the dashboard's charts from the JSON the page embeds (id="dashboard-data"); no inline code.
// Every chart opens the list behind what was clicked (the links come with the data).
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  const data = JSON.parse(source.textContent);
  const palette = ["#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777"];
  const money = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function follow(pick) {
    return function (event, elements, chart) {
      if (!elements.length) { return; }
      const url = pick(elements[0], chart);
      if (url) { window.location.assign(url); }
    };
  }
  const byIndex = (links) => follow((el) => links[el.index]);

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) { return; }
    config.options = Object.assign({onHover: (e, els) => { e.native.target.style.cursor = els.length ? "pointer" : "default"; }},
                                   config.options || {});
    canvas.chart = new Chart(canvas, config);
  }

  draw("chart-dso", {type: "line", data: {labels: data.dso.labels,
    datasets: [{label: "DSO (days)", data: data.dso.values, borderColor: palette[0], tension: 0.2, spanGaps: true}]},
    options: {onClick: byIndex(data.dso.links), scales: {y: {beginAtZero: true}}}});
  draw("chart-aging", {type: "bar", data: {labels: data.aging.labels,
    datasets: [{label: data.currency, data: data.aging.values,
                backgroundColor: ["#84cc16", "#f59e0b", "#f97316", "#dc2626"]}]},
    options: {onClick: byIndex(data.aging.links), plugins: {legend: {display: false}},
              scales: {y: {ticks: {callback: (v) => money.format(v)}}}}});
  draw("chart-cash-age", {type: "bar", data: {labels: data.cash_age.labels,
    datasets: [{label: "payments", data: data.cash_age.values, backgroundColor: ["#16a34a", "#84cc16", "#f59e0b", "#dc2626"]}]},
    options: {onClick: byIndex(data.cash_age.links), plugins: {legend: {display: false}}, scales: {y: {ticks: {precision: 0}}}}});
  draw("chart-segment", {type: "bar", data: {labels: data.segment.labels,
    datasets: [{label: data.currency, data: data.segment.values, backgroundColor: palette[0]}]},
    options: {indexAxis: "y", onClick: byIndex(data.segment.links), plugins: {legend: {display: false}},
              scales: {x: {ticks: {callback: (v) => money.format(v)}}}}});
  draw("chart-agents", {type: "bar", data: {labels: data.agents.labels,
    datasets: data.agents.series.map((s, i) => ({label: s.name, data: s.values, backgroundColor: palette[i % palette.length]}))},
    options: {onClick: follow((el) => data.agents.series[el.datasetIndex].link), scales: {x: {stacked: true}, y: {stacked: true}}}});
  draw("chart-disputes", {type: "bar", data: {labels: data.disputes.labels,
    datasets: [{label: "cases", data: data.disputes.values, backgroundColor: palette[4]}]},
    options: {indexAxis: "y", onClick: byIndex(data.disputes.links), plugins: {legend: {display: false}}}});
  draw("chart-automation", {type: "bar", data: {labels: ["Touchless orders", "Cash matched automatically"],
    datasets: [{label: "%", data: data.automation, backgroundColor: [palette[1], palette[5]]}]},
    options: {onClick: byIndex(data.automation_links), scales: {y: {min: 0, max: 100}}, plugins: {legend: {display: false}}}});
})();
