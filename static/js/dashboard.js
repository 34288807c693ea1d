// Home page charts, from the JSON the page embeds as #dashboard-data.
(function () {
  if (!window.Chart) return;
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var opts = {maintainAspectRatio: false, plugins: {legend: {display: false}}, scales: {y: {beginAtZero: true, ticks: {precision: 0}}}};
  new Chart(document.getElementById("chart-status"), {type: "bar", data: {labels: data.status.labels, datasets: [{data: data.status.counts, backgroundColor: "#9b1c1c"}]}, options: opts});
  var units = document.getElementById("chart-units");
  if (units) {
    new Chart(units, {type: "bar", data: {labels: data.units.labels, datasets: [
      {label: units.dataset.open, data: data.units.open, backgroundColor: "#6c757d"},
      {label: units.dataset.overdue, data: data.units.overdue, backgroundColor: "#dc3545"}
    ]}, options: Object.assign({}, opts, {plugins: {legend: {display: true}}})});
  }
})();
