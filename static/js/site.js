// Behaviours every page may use, declared in the markup (the Content-Security-Policy allows no inline
// script or handler): data-autosubmit, data-confirm, data-select-all.
(function () {
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches("select[data-autosubmit]")) {
      target.form.submit();
    } else if (target.matches("input[data-select-all]")) {
      document.querySelectorAll(target.dataset.selectAll).forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });
  document.addEventListener("submit", function (event) {
    const message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
