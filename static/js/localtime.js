/* Times are rendered in the company's time zone; show each reader their own.
 * <time datetime="…Z" data-local-time="long|time|date"> is rewritten with the browser's
 * zone; the company time stays in the tooltip. */
(function () {
  "use strict";
  var styles = {
    long: { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
    time: { hour: "2-digit", minute: "2-digit", timeZoneName: "short" },
    date: { weekday: "short", day: "numeric", month: "short", year: "numeric" }
  };
  function run() {
    document.querySelectorAll("time[data-local-time]:not([data-localised])").forEach(function (node) {
      var when = new Date(node.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      var company = node.textContent;
      node.textContent = when.toLocaleString(undefined, styles[node.dataset.localTime] || styles.long);
      node.title = "Company time: " + company;
      node.dataset.localised = "true";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
  document.addEventListener("htmx:afterSwap", run);
})();
