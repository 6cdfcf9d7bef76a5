// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("change", function (event) {
  const el = event.target;
  if (el.matches && el.matches(".js-autosubmit")) {
    el.form.submit();
  }
});
document.addEventListener("click", function (event) {
  const el = event.target.closest && event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.dataset.confirm)) {
    event.preventDefault();
  }
});
