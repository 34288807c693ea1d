// Income form: preview net and per-capita income as the server will compute them.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("[data-plan-income]");
  var net = document.querySelector("[data-plan-net]");
  var perCapita = document.querySelector("[data-plan-per-capita]");
  if (!inputs.length || !net || !perCapita) return;
  var ADDED = ["wage_income", "business_income", "transfer_income", "property_income"];

  function cents(name) {
    var input = document.querySelector('[data-plan-income="' + name + '"]');
    var text = (input.value || "0").trim();
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
    return Math.round(parseFloat(text) * 100);
  }

  function money(centsValue) {
    return (centsValue / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function update() {
    var parts = ADDED.map(cents);
    var expense = cents("business_expense");
    var people = parseInt(document.querySelector('[data-plan-income="member_count_used"]').value, 10);
    if (parts.indexOf(null) !== -1 || expense === null) {
      net.textContent = perCapita.textContent = "—";
      return;
    }
    var netCents = parts.reduce(function (a, b) { return a + b; }, 0) - expense;
    net.textContent = money(netCents);
    // Half up, as the server rounds.
    perCapita.textContent = people >= 1 ? money(Math.sign(netCents) * Math.round(Math.abs(netCents) / people)) : "—";
  }

  Array.prototype.forEach.call(inputs, function (input) { input.addEventListener("input", update); });
  update();
})();
