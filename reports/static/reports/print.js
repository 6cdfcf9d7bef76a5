// "Print" buttons on the summary page (no inline handlers: the CSP forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest(".js-print")) {
    event.preventDefault();
    window.print();
  }
});
