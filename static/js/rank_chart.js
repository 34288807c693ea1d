// The rank-over-weeks line chart of the home page: rank 1 at the top (y axis reversed).
// The same figures are in the table beside it, so the page reads without JavaScript.
(function () {
  var canvas = document.getElementById("chart-rank");
  var source = document.getElementById("dashboard-data");
  if (!canvas || !source || !window.Chart) return;
  var rank = JSON.parse(source.textContent).rank;
  if (!rank) return;
  var most = Math.max(rank.most, 2);
  // rank 1 and the last place always labelled, a few whole ranks between
  function rankTicks(axis) {
    var step = Math.ceil(most / 8), ticks = [];
    for (var r = 1; r < most; r += step) ticks.push({value: r});
    if (most - ticks[ticks.length - 1].value < step / 2) ticks.pop();
    ticks.push({value: most});
    axis.ticks = ticks;
  }
  new Chart(canvas, {
    type: "line",
    data: {
      labels: rank.weeks,
      datasets: [{label: canvas.dataset.label, data: rank.ranks, borderColor: "#9b1c1c", backgroundColor: "#9b1c1c", tension: 0.2}]
    },
    options: {
      maintainAspectRatio: false,
      plugins: {legend: {display: false}},
      scales: {y: {reverse: true, min: 1, max: most, afterBuildTicks: rankTicks}}
    }
  });
})();
