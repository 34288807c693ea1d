// Picking a township lists only its villages: clear the village and filter again.
(function () {
  const ids = document.currentScript.dataset;
  document.getElementById(ids.township)?.addEventListener("change", (event) => {
    const village = document.getElementById(ids.village);
    if (village) village.value = "";
    event.target.form.requestSubmit();
  });
})();
