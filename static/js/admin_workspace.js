// On a phone, the lists' filters come first but folded, so that the results are one scroll away.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(max-width: 767px)").matches) return;
  document.querySelectorAll("#changelist-filter details[open]").forEach(function (details) {
    details.open = false;
  });
});
