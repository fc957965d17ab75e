/* The pipeline board: drag and drop and arrow keys, both sent through htmx.
 *
 * Moves queue and never drop: a card moves on screen at once (into the column it goes to),
 * and its move is sent after the ones before it have answered, one at a time, so fast key
 * presses (→ → →) all arrive, in order. Only the last answer of a run replaces #board. Each
 * request carries the CSRF token (from the move form, which also works without JavaScript).
 * The listeners sit on the document, so they survive each swap and work on the cards a
 * column's "Show more" adds.
 */
(function () {
  "use strict";

  var dragged = null;
  var queue = [];
  var sending = false;

  function send() {
    var form = document.getElementById("board-move-form");
    if (sending || !queue.length || !form) return;
    sending = true;
    var next = queue.shift();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    window.htmx
      .ajax("POST", form.getAttribute("action"), {
        source: form,
        target: "#board",
        swap: queue.length ? "none" : "outerHTML",
        values: next,
        headers: token ? { "X-CSRFToken": token.value } : {},
      })
      .then(finish, finish);
  }

  function finish() {
    sending = false;
    send();
  }

  function move(card, stageId) {
    if (!card || !stageId || stageId === card.dataset.stage) return;
    var column = document.querySelector('.board-column[data-stage="' + stageId + '"] .board-cards');
    queue.push({ application: card.dataset.application, stage: stageId });
    card.dataset.stage = stageId;
    card.classList.add("moving");
    if (column) {
      column.insertBefore(card, column.firstChild);
      card.focus();
    }
    send();
  }

  function columnOf(node) {
    return node && node.closest ? node.closest(".board-column") : null;
  }

  function clearTargets() {
    document.querySelectorAll(".board-column.drop-target").forEach(function (col) {
      col.classList.remove("drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest('.board-card[draggable="true"]');
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.application);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (!dragged || !column) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearTargets();
      column.classList.add("drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    if (!dragged || !column) return;
    event.preventDefault();
    var card = dragged;
    clearTargets();
    move(card, column.dataset.stage);
  });

  // Arrow keys on a focused card move it one stage left or right.
  document.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!card.classList || !card.classList.contains("board-card") || !card.draggable) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var columns = Array.prototype.slice.call(document.querySelectorAll(".board-column"));
    var next = columns.indexOf(columnOf(card)) + (event.key === "ArrowRight" ? 1 : -1);
    if (next < 0 || next >= columns.length) return;
    event.preventDefault();
    move(card, columns[next].dataset.stage);
  });

  // After a swap, focus goes to the card marked for it: the card just moved, so the keyboard
  // user goes on, or the first card "Show more" loaded, in place of the link that is gone.
  // A card that cannot be moved is not focusable itself: its link takes the focus instead.
  document.addEventListener("htmx:afterSwap", function () {
    var card = document.querySelector("#board [data-focus]");
    if (!card) return;
    card.removeAttribute("data-focus");
    var target = card.hasAttribute("tabindex") ? card : card.querySelector("a");
    if (target) target.focus();
  });
})();
