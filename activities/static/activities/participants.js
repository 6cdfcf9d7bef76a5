// Whole-class picking: tick or untick every enabled box of one class at once.
document.addEventListener("click", function (event) {
  const button = event.target.closest && event.target.closest(".js-pick-all, .js-pick-none");
  if (!button) return;
  const group = button.closest(".js-pick-group");
  const tick = button.classList.contains("js-pick-all");
  group.querySelectorAll("input[type=checkbox]:not(:disabled)").forEach(function (box) {
    box.checked = tick;
  });
});
