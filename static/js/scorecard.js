/* The live scorecard: autosave while typing, merge on conflict, call timer, keyboard moves.
 *
 * Every input carries data-key ("notes:12", "rating:12", "raised:<flag>", "evidence:<flag>",
 * "summary", "recommendation"). A change marks its key dirty; 800 ms after the last keystroke
 * the dirty keys go to the save endpoint with the version they are based on. 200: the new
 * version, "Saved at HH:MM:SS". 409 with `current`: another tab saved first; fields only one
 * side changed are taken over silently, fields both changed get a merge panel with both texts.
 * A network failure retries with back-off; the page warns before leaving while unsaved, and a
 * copy of unsaved fields waits in localStorage in case the tab or browser dies.
 * No framework: plain DOM, about as old as the browsers interviewers use.
 */
(function () {
  "use strict";

  var stateNode = document.getElementById("scorecard-state");
  var form = document.getElementById("scorecard-form");
  if (!stateNode || !form) return;
  var state = JSON.parse(stateNode.textContent);
  var statusNode = document.getElementById("save-status");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  var STORE = "hiring-scorecard-" + state.scorecard;
  var TIMER = "hiring-call-timer-" + state.interview;
  var DEBOUNCE_MS = 800;

  var version = state.version;
  var dirty = {};
  var base = {};
  var inflight = false;
  var conflict = false;
  var debounce = null;
  var retry = null;
  var retryMs = 2000;
  var submitter = null;

  // Values -----------------------------------------------------------------------------

  function inputsFor(key) {
    return form.querySelectorAll('[data-key="' + key.replace(/"/g, '\\"') + '"]');
  }

  function keys() {
    var seen = {};
    form.querySelectorAll("[data-key]").forEach(function (el) { seen[el.dataset.key] = true; });
    return Object.keys(seen);
  }

  function read(key) {
    var els = inputsFor(key);
    if (!els.length) return null;
    if (els[0].type === "radio") {
      for (var i = 0; i < els.length; i++) if (els[i].checked) return els[i].value;
      return "";
    }
    if (els[0].type === "checkbox") return els[0].checked;
    return els[0].value;
  }

  function write(key, value) {
    var els = inputsFor(key);
    if (!els.length) return;
    if (els[0].type === "radio") {
      els.forEach(function (el) { el.checked = el.value === String(value === null ? "" : value); });
    } else if (els[0].type === "checkbox") {
      els[0].checked = !!value;
    } else {
      els[0].value = value === null ? "" : value;
    }
    refreshIndex(key);
  }

  function labelOf(key) {
    var el = inputsFor(key)[0];
    return (el && el.dataset.label) || key;
  }

  function show(key, value) {
    if (typeof value === "boolean") return value ? "ticked" : "not ticked";
    if (key.indexOf("rating:") === 0) {
      return value ? value + " · " + ["", "Definitely not", "No", "Yes", "Strong yes"][+value] : "no rating";
    }
    return value === "" || value === null ? "(empty)" : String(value);
  }

  function payload(values) {
    var body = { version: version, answers: [], red_flags: [] };
    var answers = {};
    var flags = {};
    Object.keys(values).forEach(function (key) {
      var value = values[key];
      var parts = key.split(":");
      if (parts.length === 1) { body[key] = value; return; }
      var kind = parts[0];
      var id = parts.slice(1).join(":");
      if (kind === "rating" || kind === "notes") {
        var a = answers[id] || (answers[id] = { question_version: +id });
        a[kind] = kind === "rating" ? (value ? +value : null) : value;
      } else {
        var f = flags[id] || (flags[id] = { red_flag: id });
        f[kind] = value;
      }
    });
    Object.keys(answers).forEach(function (id) { body.answers.push(answers[id]); });
    Object.keys(flags).forEach(function (id) { body.red_flags.push(flags[id]); });
    return body;
  }

  function flatten(current) {
    var out = { summary: current.summary, recommendation: current.recommendation };
    current.answers.forEach(function (a) {
      out["rating:" + a.question_version] = a.rating ? String(a.rating) : "";
      out["notes:" + a.question_version] = a.notes;
    });
    current.red_flags.forEach(function (f) {
      out["raised:" + f.red_flag] = f.raised;
      out["evidence:" + f.red_flag] = f.evidence;
    });
    return out;
  }

  // Status, storage ----------------------------------------------------------------------

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(date) {
    return pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds());
  }

  function setStatus(kind, text) {
    if (!statusNode) return;
    statusNode.className = "sc-status " + kind;
    statusNode.textContent = text;
  }

  function pending() { return Object.keys(dirty).length > 0 || inflight; }

  function persist() {
    try {
      var keysDirty = Object.keys(dirty);
      if (!keysDirty.length) { localStorage.removeItem(STORE); return; }
      var values = {};
      var bases = {};
      keysDirty.forEach(function (k) { values[k] = read(k); bases[k] = base[k]; });
      localStorage.setItem(STORE, JSON.stringify({ version: version, values: values, base: bases }));
    } catch (e) { /* private mode or full: the server copy is what counts */ }
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(STORE) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.values) return;
    var restored = 0;
    Object.keys(saved.values).forEach(function (k) {
      if (!inputsFor(k).length || read(k) === saved.values[k]) return;
      if (saved.base && k in saved.base) base[k] = saved.base[k];
      write(k, saved.values[k]);
      dirty[k] = true;
      restored += 1;
    });
    if (restored) {
      // Based on an older version? Then the save meets a 409 and the merge panel decides.
      version = Math.min(version, saved.version || version);
      setStatus("saving", "Restored " + restored + " unsaved change" + (restored > 1 ? "s" : "") +
        " kept in this browser; saving…");
      schedule(0);
    } else {
      localStorage.removeItem(STORE);
    }
  }

  // Saving -----------------------------------------------------------------------------

  function schedule(delay) {
    clearTimeout(debounce);
    debounce = setTimeout(save, delay === undefined ? DEBOUNCE_MS : delay);
  }

  function save() {
    if (inflight || conflict || state.locked) return;
    var toSend = Object.keys(dirty);
    if (!toSend.length) { finishSubmit(); return; }
    var values = {};
    toSend.forEach(function (k) { values[k] = read(k); });
    inflight = true;
    clearTimeout(retry);
    setStatus("saving", "Saving…");
    fetch(state.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload(values))
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    }).then(function (result) {
      inflight = false;
      handle(result, values);
    }).catch(function () {
      inflight = false;
      retryLater();
    });
  }

  function handle(result, values) {
    var body = result.body || {};
    if (result.status === 200) {
      version = body.version;
      form.elements.version.value = version;
      Object.keys(values).forEach(function (k) {
        base[k] = values[k];
        if (read(k) === values[k]) delete dirty[k];
      });
      retryMs = 2000;
      clearFieldErrors();
      persist();
      setStatus("saved", "Saved at " + clock(new Date(body.saved_at || Date.now())));
      if (Object.keys(dirty).length) schedule();
      else finishSubmit();
    } else if (result.status === 409 && body.current) {
      merge(body);
    } else if (result.status === 409) {
      state.locked = true;
      setStatus("error", body.detail || "This scorecard is locked.");
    } else if (result.status === 400) {
      submitter = null;
      setStatus("error", "Not saved: " + (body.detail || "check the highlighted field."));
      showFieldErrors(body.fields || {});
    } else if (result.status === 401 || result.status === 403 || result.status === 404) {
      submitter = null;
      setStatus("error", "Not saved: " + (body.detail || "log in again.") +
        " Your text stays in this browser until it can be saved.");
    } else {
      retryLater();
    }
  }

  function retryLater() {
    var seconds = Math.round(retryMs / 1000);
    setStatus("offline", "Not saved yet: no connection to the server. Retrying in " + seconds +
      " s; keep this tab open.");
    clearTimeout(retry);
    retry = setTimeout(save, retryMs);
    retryMs = Math.min(retryMs * 2, 30000);
  }

  function clearFieldErrors() {
    form.querySelectorAll(".js-field-error").forEach(function (node) { node.remove(); });
  }

  function showFieldErrors(fields) {
    clearFieldErrors();
    Object.keys(fields).forEach(function (name) {
      var el = form.querySelector('[name="' + name + '"]');
      if (!el) return;
      var p = document.createElement("p");
      p.className = "field-error js-field-error";
      p.textContent = fields[name].join(" ");
      (el.closest(".field") || el.closest("fieldset") || el.parentNode).appendChild(p);
    });
  }

  // Conflicts: both texts side by side, nothing lost ---------------------------------------

  function merge(body) {
    var server = flatten(body.current);
    var open = [];
    Object.keys(server).forEach(function (k) {
      if (!inputsFor(k).length) return;
      var mine = read(k);
      var theirs = server[k];
      if (mine === theirs) { base[k] = theirs; delete dirty[k]; return; }
      if (!dirty[k]) { write(k, theirs); base[k] = theirs; return; }
      if (theirs === base[k]) return;  // only this tab changed it: keep it, still dirty
      open.push({ key: k, mine: mine, theirs: theirs });
    });
    version = body.current.version;
    form.elements.version.value = version;
    if (!open.length) { persist(); schedule(0); return; }
    conflict = true;
    submitter = null;
    renderMerge(open);
    setStatus("error", "Saving paused: this scorecard was changed in another tab. Choose what to keep below.");
  }

  function renderMerge(open) {
    var panel = document.getElementById("merge-panel");
    var list = panel.querySelector("[data-merge-list]");
    list.textContent = "";
    open.forEach(function (item) {
      var box = document.createElement("div");
      box.className = "sc-merge-field";
      var title = document.createElement("h3");
      title.textContent = labelOf(item.key);
      box.appendChild(title);
      var pair = document.createElement("div");
      pair.className = "sc-merge-pair";
      [["Yours (this tab)", item.mine], ["Saved from the other tab", item.theirs]].forEach(function (side) {
        var col = document.createElement("div");
        var caption = document.createElement("p");
        caption.className = "small muted";
        caption.textContent = side[0];
        var text = document.createElement("pre");
        text.className = "sc-merge-text";
        text.textContent = show(item.key, side[1]);
        col.appendChild(caption);
        col.appendChild(text);
        pair.appendChild(col);
      });
      box.appendChild(pair);
      var actions = document.createElement("div");
      actions.className = "row";
      var choices = [["Keep mine", item.mine], ["Keep the other tab's", item.theirs]];
      if (typeof item.mine === "string" && item.key.indexOf("rating:") !== 0 && item.key !== "recommendation") {
        choices.push(["Keep both", item.mine + "\n\n" + item.theirs]);
      }
      choices.forEach(function (choice) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button small";
        button.textContent = choice[0];
        button.addEventListener("click", function () { settle(item, choice[1], box, panel); });
        actions.appendChild(button);
      });
      box.appendChild(actions);
      list.appendChild(box);
    });
    panel.hidden = false;
    panel.scrollIntoView({ block: "start" });
  }

  function settle(item, value, box, panel) {
    write(item.key, value);
    base[item.key] = item.theirs;
    if (value === item.theirs) delete dirty[item.key];
    else dirty[item.key] = true;
    box.remove();
    if (!panel.querySelector(".sc-merge-field")) {
      panel.hidden = true;
      conflict = false;
      persist();
      schedule(0);
    }
  }

  // Submitting: flush first, then post the whole form with the current version -------------

  function finishSubmit() {
    if (!submitter) return;
    var button = submitter;
    submitter = null;
    form.elements.version.value = version;
    leaving = true;
    if (form.requestSubmit) form.requestSubmit(button);
    else form.submit();
  }

  var leaving = false;

  form.addEventListener("submit", function (event) {
    if (leaving) { try { localStorage.removeItem(STORE); } catch (e) { /* ignore */ } return; }
    form.elements.version.value = version;
    if (pending() || conflict) {
      event.preventDefault();
      if (conflict) return;
      submitter = event.submitter || form.querySelector("[type=submit][value=submit]");
      setStatus("saving", "Saving before submitting…");
      schedule(0);
      return;
    }
    leaving = true;
    try { localStorage.removeItem(STORE); } catch (e) { /* ignore */ }
  });

  // Field changes ----------------------------------------------------------------------

  function changed(event) {
    var el = event.target;
    if (!el.dataset || !el.dataset.key || state.locked) return;
    var key = el.dataset.key;
    if (read(key) === base[key]) delete dirty[key];
    else dirty[key] = true;
    refreshIndex(key);
    if (key.indexOf("raised:") === 0 && el.checked) {
      var evidence = inputsFor("evidence:" + key.slice(7))[0];
      if (evidence && !evidence.value.trim()) evidence.focus();
    }
    persist();
    if (pending()) setStatus("dirty", "Unsaved changes…");
    schedule(el.tagName === "TEXTAREA" ? DEBOUNCE_MS : 150);
  }

  function refreshIndex(key) {
    if (key.indexOf("rating:") !== 0) return;
    var node = document.querySelector('[data-index-rating="' + key.slice(7) + '"]');
    if (node) node.textContent = show(key, read(key)).replace(/^\d · /, "");
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  window.addEventListener("online", function () { if (pending()) schedule(0); });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || state.locked || !pending()) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show their warning
  });

  // Keyboard: move between questions, rate the current one ---------------------------------

  var sections = Array.prototype.slice.call(form.querySelectorAll("[data-section]"));
  var current = 0;

  function typing(el) {
    if (!el) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" && ["radio", "checkbox", "button", "submit"].indexOf(el.type) < 0;
  }

  function go(index) {
    if (!sections.length) return;
    current = Math.max(0, Math.min(sections.length - 1, index));
    sections.forEach(function (s, i) { s.classList.toggle("current", i === current); });
    sections[current].focus({ preventScroll: true });
    sections[current].scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function rate(value) {
    var section = sections[current];
    if (!section || !section.classList.contains("sc-question")) return;
    var radio = section.querySelector('input[type=radio][value="' + value + '"]');
    if (radio && !radio.disabled) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  document.addEventListener("focusin", function (event) {
    var section = event.target.closest && event.target.closest("[data-section]");
    var index = sections.indexOf(section);
    if (index >= 0) {
      current = index;
      sections.forEach(function (s, i) { s.classList.toggle("current", i === current); });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (event.altKey) {
      if (key === "ArrowDown" || key === "ArrowUp") {
        event.preventDefault();
        go(current + (key === "ArrowDown" ? 1 : -1));
      } else if (/^Digit[1-4]$/.test(event.code)) {
        event.preventDefault();
        rate(event.code.slice(5));
      }
      return;
    }
    if (typing(event.target)) return;
    if (key === "j") { event.preventDefault(); go(current + 1); }
    else if (key === "k") { event.preventDefault(); go(current - 1); }
    else if (/^[1-4]$/.test(key)) { event.preventDefault(); rate(key); }
    else if (key === "n") {
      var notes = sections[current] && sections[current].querySelector("[data-notes]");
      if (notes) { event.preventDefault(); notes.focus(); }
    } else if (key === "?") {
      var help = document.getElementById("keyboard-help");
      if (help) help.open = !help.open;
    }
  });

  document.querySelectorAll("[data-jump]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      go(+link.dataset.jump);
    });
  });

  // Call timer (survives a reload: the start time is kept in this browser) -----------------

  var timerBox = document.getElementById("call-timer");
  if (timerBox) {
    timerBox.hidden = false;
    var clockNode = timerBox.querySelector("[data-timer-clock]");
    var toggle = timerBox.querySelector("[data-timer-toggle]");
    var limit = (state.durationMinutes || 60) * 60;
    var started = +(localStorage.getItem(TIMER) || 0);
    var tick = function () {
      var seconds = started ? Math.floor((Date.now() - started) / 1000) : 0;
      clockNode.textContent = pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
      timerBox.classList.toggle("over", seconds > limit);
      toggle.textContent = started ? "Stop timer" : "Start timer";
    };
    toggle.addEventListener("click", function () {
      started = started ? 0 : Date.now();
      try {
        if (started) localStorage.setItem(TIMER, String(started));
        else localStorage.removeItem(TIMER);
      } catch (e) { /* the timer then lasts for this page only */ }
      tick();
    });
    tick();
    setInterval(tick, 1000);
  }

  // Start ------------------------------------------------------------------------------

  keys().forEach(function (k) { base[k] = read(k); });
  if (state.locked) {
    try { localStorage.removeItem(STORE); } catch (e) { /* ignore */ }
    return;
  }
  restore();
})();
