// The rank-over-weeks line chart of the home page: rank 1 at the top (y axis reversed).
// The same figures are in the table beside it, so the page reads without JavaScript.
(function () {
  var canvas = document.getElementById("chart-rank");
  var source = document.getElementById("dashboard-data");
  if (!canvas || !source || !window.Chart) return;
  var rank = JSON.parse(source.textContent).rank;
  if (!rank) return;
  new Chart(canvas, {
    type: "line",
    data: {
      labels: rank.weeks,
      datasets: [{label: canvas.dataset.label, data: rank.ranks, borderColor: "#9b1c1c", backgroundColor: "#9b1c1c", tension: 0.2}]
    },
    options: {
      maintainAspectRatio: false,
      plugins: {legend: {display: false}},
      scales: {y: {reverse: true, min: 1, max: Math.max(rank.most, 2), ticks: {precision: 0, stepSize: 1}}}
    }
  });
})();
