// The household form's member rows: add a row from the empty-form template, mark deleted rows.
(function () {
  const rows = document.getElementById("member-rows");
  const total = document.getElementById("id_members-TOTAL_FORMS");
  const template = document.getElementById("member-template");
  function renumber() {
    rows.querySelectorAll(".member-row").forEach(function (row, i) {
      row.querySelector(".member-number").textContent = i + 1;
    });
  }
  document.getElementById("add-member").addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, index);
    rows.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    renumber();
    rows.lastElementChild.querySelector("input[type=text]").focus();
  });
  rows.addEventListener("change", function (event) {
    if (event.target.matches("input[name$='-DELETE']")) {
      event.target.closest(".member-row").classList.toggle("member-deleted", event.target.checked);
    }
  });
  rows.querySelectorAll("input[name$='-DELETE']:checked").forEach(function (box) {
    box.closest(".member-row").classList.add("member-deleted");
  });
  renumber();
})();
