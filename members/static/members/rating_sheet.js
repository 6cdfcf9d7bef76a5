// Rating sheets (democratic appraisal, League registration): live counts per rating as the secretary
// rates, and a button to give every unrated person the default rating. No inline scripts (CSP).
(function () {
  "use strict";
  function rows(sheet) {
    const names = new Set();
    sheet.querySelectorAll("input[type=radio][name^='rating-']").forEach(function (input) {
      names.add(input.name);
    });
    return Array.from(names);
  }
  function update(sheet) {
    const counts = {};
    rows(sheet).forEach(function (name) {
      const checked = sheet.querySelector("input[name='" + name + "']:checked");
      const value = checked ? checked.value : "";
      counts[value] = (counts[value] || 0) + 1;
    });
    sheet.querySelectorAll("[data-count]").forEach(function (el) {
      el.textContent = counts[el.dataset.count] || 0;
    });
  }
  document.querySelectorAll("[data-rating-sheet]").forEach(function (sheet) {
    sheet.addEventListener("change", function () { update(sheet); });
    sheet.querySelectorAll("[data-fill]").forEach(function (button) {
      button.addEventListener("click", function () {
        rows(sheet).forEach(function (name) {
          if (!sheet.querySelector("input[name='" + name + "']:checked")) {
            const target = sheet.querySelector("input[name='" + name + "'][value='" + button.dataset.fill + "']");
            if (target && !target.disabled) { target.checked = true; }
          }
        });
        update(sheet);
      });
    });
    update(sheet);
  });
})();
