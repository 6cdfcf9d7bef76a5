// Meetings: live attendance counts, "all present", visitors picked from a search, print button.
// No inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function block() {
    return document.getElementById("attendance-block");
  }

  function updateCounts() {
    const root = block();
    if (!root) return;
    const counts = { expected: 0, present: 0, leave: 0, absent: 0 };
    root.querySelectorAll(".js-att-row").forEach(function (row) {
      counts.expected += 1;
      const checked = row.querySelector(".js-att-status:checked");
      const status = checked ? checked.value : "present";
      counts[status] = (counts[status] || 0) + 1;
      const reason = row.querySelector(".js-att-reason");
      if (reason) {
        reason.disabled = status === "present";
        reason.required = status === "leave";
      }
    });
    counts.visitors = root.querySelectorAll(".js-visitor:checked").length;
    Object.keys(counts).forEach(function (key) {
      const el = root.querySelector('[data-count="' + key + '"]');
      if (el) el.textContent = counts[key];
    });
  }

  function addVisitor(button) {
    const list = document.getElementById("visitor-list");
    if (!list || list.querySelector('input[value="' + button.dataset.id + '"]')) return;
    const li = document.createElement("li");
    const label = document.createElement("label");
    label.className = "badge text-bg-light border";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = "visitors";
    input.value = button.dataset.id;
    input.checked = true;
    input.className = "form-check-input me-1 js-visitor";
    const small = document.createElement("small");
    small.className = "text-muted";
    small.textContent = button.dataset.org || "";
    label.append(input, " " + button.dataset.name + " ", small);
    li.append(label);
    list.append(li);
    const q = document.getElementById("visitor-q");
    if (q) { q.value = ""; q.focus(); }
    const results = document.getElementById("visitor-results");
    if (results) results.innerHTML = "";
    updateCounts();
  }

  document.addEventListener("change", function (event) {
    const t = event.target;
    if (t.matches(".js-att-status, .js-visitor")) updateCounts();
  });

  document.addEventListener("click", function (event) {
    const add = event.target.closest(".js-add-visitor");
    if (add) { event.preventDefault(); addVisitor(add); return; }
    if (event.target.closest(".js-all-present")) {
      document.querySelectorAll('.js-att-status[value="present"]').forEach(function (r) { r.checked = true; });
      updateCounts();
      return;
    }
    if (event.target.closest(".js-print")) { window.print(); return; }
    const sel = event.target.closest(".js-select-all");
    if (sel) sel.select();
  });

  // Enter in the visitor search must not submit the whole meeting form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.id === "visitor-q") {
      event.preventDefault();
      const first = document.querySelector("#visitor-results .js-add-visitor");
      if (first) addVisitor(first);
    }
  });

  // A meeting in the future cannot be recorded as held: untick "record attendance" when the start
  // time moves into the future (the server refuses it anyway).
  document.addEventListener("input", function (event) {
    if (event.target.name !== "starts_at") return;
    const box = document.querySelector('input[name="record_attendance"]');
    const when = new Date(event.target.value);
    if (box && !isNaN(when)) {
      box.checked = when <= new Date();
      const att = block();
      if (att) att.classList.toggle("opacity-50", !box.checked);
    }
  });

  document.addEventListener("DOMContentLoaded", updateCounts);
})();
