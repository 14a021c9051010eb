// Draws the cash-forecast card from /dashboard/cash-forecast.json (expected receipts and their range).
(function () {
  "use strict";
  const canvas = document.getElementById("chart-cash-forecast");
  if (!canvas || typeof Chart === "undefined") { return; }
  fetch(canvas.dataset.source, {credentials: "same-origin"}).then((r) => r.json()).then((data) => {
    const label = document.getElementById("cash-forecast-currency");
    if (label) { label.textContent = data.currency; }
    const weeks = data.weeks.map((w) => w.week);
    const num = (key) => data.weeks.map((w) => Number(w[key]));
    canvas.chart = new Chart(canvas, {type: "bar", data: {labels: weeks, datasets: [
      {type: "line", label: "high", data: num("high"), borderColor: "#93c5fd", pointRadius: 0, fill: false},
      {type: "line", label: "low", data: num("low"), borderColor: "#93c5fd", pointRadius: 0, fill: "-1",
       backgroundColor: "rgba(147, 197, 253, 0.3)"},
      {label: "expected", data: num("expected"), backgroundColor: "#2563eb"},
      {type: "line", label: "all paid on due date", data: num("due_date"), borderColor: "#9ca3af", borderDash: [4, 4],
       pointRadius: 0, fill: false}]},
      options: {animation: false, maintainAspectRatio: false}});
  });
})();
