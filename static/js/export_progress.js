// A running ledger export polls its progress (data-url of this script) until done or failed.
(function () {
  const script = document.currentScript.dataset;
  (function poll() {
    fetch(script.url).then(r => r.json()).then(data => {
      const bar = document.getElementById("export-bar");
      bar.style.width = data.percent + "%"; bar.textContent = data.percent + "%";
      document.getElementById("export-count").textContent = data.done + " / " + data.total;
      if (data.state === "done") {
        document.getElementById("export-download").classList.remove("d-none");
        document.getElementById("export-state").textContent = script.ready;
      } else if (data.state === "failed") {
        document.getElementById("export-state").textContent = script.failed + " " + data.error;
      } else { setTimeout(poll, 1000); }
    });
  })();
})();
