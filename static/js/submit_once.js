// A form's submit buttons are disabled once it is sent, so a double click posts it once.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.method.toLowerCase() !== "post" || event.defaultPrevented) {
    return;
  }
  setTimeout(() => {
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach((button) => {
      button.disabled = true;
      button.dataset.submitOnce = "1";
    });
  }, 0);
});

// Coming back to the page from the browser's history shows it as it was left: buttons enabled again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form button[disabled][data-submit-once], form input[disabled][data-submit-once]").forEach((b) => {
    b.disabled = false;
  });
});
