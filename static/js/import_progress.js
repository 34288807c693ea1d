// A running import polls its progress (data-url of this script) and reloads when done.
(function () {
  const url = document.currentScript.dataset.url;
  const bar = document.getElementById("progress-bar");
  async function poll() {
    try {
      const data = await (await fetch(url, {headers: {"Accept": "application/json"}})).json();
      bar.style.width = data.progress + "%";
      bar.textContent = data.progress + "%";
      bar.parentElement.setAttribute("aria-valuenow", data.progress);
      if (!data.running) { window.location.reload(); return; }
    } catch (e) { /* try again */ }
    setTimeout(poll, 1500);
  }
  setTimeout(poll, 1000);
})();
