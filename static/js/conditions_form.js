(function () {
  // Relocation details apply only to a relocated household: greyed out otherwise.
  const relocated = document.getElementById("id_is_relocated");
  const details = ["relocation_mode", "relocation_village", "relocation_group", "relocation_place", "relocated_on"]
    .map(function (name) { return document.getElementById("id_" + name); });
  function sync() {
    const on = relocated.value === "true";
    details.forEach(function (input) { if (input) { input.disabled = !on; } });
  }
  relocated.addEventListener("change", sync);
  sync();
})();
