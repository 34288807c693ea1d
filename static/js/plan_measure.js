// Measure form: list only the measures of the chosen category (the server checks it again).
(function () {
  "use strict";
  var category = document.querySelector("[data-plan-category]");
  var item = document.querySelector("[data-plan-item]");
  if (!category || !item) return;
  var categories = JSON.parse(item.dataset.categories || "{}");

  function filterItems() {
    var chosen = category.value;
    Array.prototype.forEach.call(item.options, function (option) {
      var fits = !option.value || !chosen || categories[option.value] === chosen;
      option.hidden = !fits;
      option.disabled = !fits;
    });
    if (item.selectedOptions.length && item.selectedOptions[0].disabled) item.value = "";
  }

  category.addEventListener("change", filterItems);
  filterItems();
})();
