// Small progressive enhancements; every page works without this file (CSP: served from 'self').
document.addEventListener("click", function (event) {
  var button = event.target.closest("button.copy");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    var done = button.getAttribute("data-done");
    var label = button.textContent;
    button.textContent = done;
    setTimeout(function () { button.textContent = label; }, 2000);
  });
});
document.querySelectorAll("button.copy[hidden]").forEach(function (b) { if (navigator.clipboard) b.hidden = false; });
