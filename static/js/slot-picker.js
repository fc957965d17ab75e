/* The slot picker: show the times in the candidate's own zone. On the first visit (no zone
 * chosen yet) the browser's zone is picked and the page reloaded in it; changing the select
 * reloads at once. Without JavaScript the select and its button do the same. */
(function () {
  "use strict";
  function run() {
    var select = document.querySelector("[data-zone-select]");
    if (!select) return;
    var form = select.form;
    select.addEventListener("change", function () { form.submit(); });
    if (select.dataset.zoneChosen === "yes") return;
    var detected;
    try { detected = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!detected || detected === select.value) return;
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === detected; });
    if (!known) return;
    select.value = detected;
    form.submit();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
