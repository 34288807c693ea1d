// The funds progress page: disbursement rate per unit (bars) against the year's target (a line).
// The same figures are in the tables below, so the page reads without JavaScript.
(function () {
  var canvas = document.getElementById("chart-funds-units");
  var source = document.getElementById("funds-progress-data");
  if (!canvas || !source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  var datasets = [{
    type: "bar", label: canvas.dataset.label, data: data.rates, order: 2,
    backgroundColor: data.rates.map(function (r) {
      return data.target !== null && r < data.target ? "#d97706" : "#9b1c1c";
    })
  }];
  if (data.target !== null) {
    datasets.push({
      type: "line", label: canvas.dataset.target, order: 1, pointRadius: 0, borderDash: [6, 4],
      borderColor: "#1d4ed8", borderWidth: 2, data: data.labels.map(function () { return data.target; })
    });
  }
  new Chart(canvas, {
    data: {labels: data.labels, datasets: datasets},
    options: {
      maintainAspectRatio: false,
      plugins: {legend: {display: data.target !== null}},
      scales: {y: {min: 0, max: 100, ticks: {callback: function (v) { return v + "%"; }}}}
    }
  });
})();
