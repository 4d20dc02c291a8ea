// An import's page while its rows are checked or written: the figure and the bar follow the server
// every two seconds, and the page reloads once the job has moved on (to show its results).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-running]");
  if (!box) {
    return;
  }
  function tick() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-import-running]");
        if (!fresh) {
          window.location.reload();
          return;
        }
        var bar = box.querySelector("progress");
        var freshBar = fresh.querySelector("progress");
        bar.value = freshBar.value;
        box.querySelector("label").textContent = fresh.querySelector("label").textContent;
        window.setTimeout(tick, 2000);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 2000);
})();
