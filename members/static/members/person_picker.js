// Person picker (members.widgets.PersonPicker): the search box asks members:person_lookup (htmx) for
// matches; choosing one puts it into the picker's <select>. Keyboard: Down/Up move through the matches,
// Enter or Space chooses, Escape goes back to the search box; Enter in the search box chooses the first
// match and never submits the form. No inline scripts (CSP). The widget includes this file once per
// picker, so it installs its listeners only once.
(function () {
  "use strict";
  if (window.personPickerReady) return;
  window.personPickerReady = true;

  function pickerOf(el) {
    return el.closest("[data-person-picker]");
  }

  function options(picker) {
    return Array.from(picker.querySelectorAll("[data-picker-option]"));
  }

  function clearResults(picker) {
    const results = picker.querySelector("[data-picker-results]");
    if (results) results.replaceChildren();
  }

  function choose(button) {
    const picker = pickerOf(button);
    const select = picker.querySelector("[data-picker-select]");
    const id = button.dataset.id;
    // The <select> holds the empty choice and the one person picked: the previous pick goes.
    Array.from(select.options).forEach(function (o) { if (o.value && o.value !== id) o.remove(); });
    if (!Array.from(select.options).some(function (o) { return o.value === id; })) {
      select.add(new Option(button.dataset.label, id));
    }
    select.value = id;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const search = picker.querySelector("[data-picker-search]");
    if (search) search.value = "";
    clearResults(picker);
    select.focus();
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-picker-option]");
    if (button) { event.preventDefault(); choose(button); }
  });

  document.addEventListener("keydown", function (event) {
    const el = event.target;
    const picker = el.closest ? pickerOf(el) : null;
    if (!picker) return;
    const list = options(picker);
    if (el.matches("[data-picker-search]")) {
      if (event.key === "Enter") {
        event.preventDefault();
        if (list.length) choose(list[0]);
      } else if (event.key === "ArrowDown" && list.length) {
        event.preventDefault();
        list[0].focus();
      } else if (event.key === "Escape") {
        clearResults(picker);
      }
      return;
    }
    if (!el.matches("[data-picker-option]")) return;
    const i = list.indexOf(el);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (i < list.length - 1) list[i + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (i > 0) list[i - 1].focus();
      else picker.querySelector("[data-picker-search]").focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      clearResults(picker);
      picker.querySelector("[data-picker-search]").focus();
    }
  });
})();
