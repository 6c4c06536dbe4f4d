/* Pitch practice: a timer per presentation, and a live word count with the spoken length
   (130-150 words a minute). The page works without it: the counts are shown as saved. */
(function () {
  "use strict";
  var FAST = 150, SLOW = 130;

  function words(text) {
    var m = text.trim().match(/\S+/g);
    return m ? m.length : 0;
  }

  function setupCount(box) {
    var area = box.querySelector("textarea");
    var out = box.querySelector("[data-pitch-count]");
    if (!area || !out) { return; }
    var budget = parseInt(box.getAttribute("data-budget"), 10) || 0;
    function update() {
      var n = words(area.value);
      var fast = Math.round(n * 60 / FAST), slow = Math.round(n * 60 / SLOW);
      // Labels come from the page (Swedish or English): "ord", "s att säga", "ord för långt".
      out.textContent = n + " " + box.getAttribute("data-l-words") + " · " + fast + "–" + slow +
        " " + box.getAttribute("data-l-say") +
        (budget && n > budget ? " · " + (n - budget) + " " + box.getAttribute("data-l-over") : "");
    }
    area.addEventListener("input", update);
    update();
  }

  function setupTimer(box) {
    var button = box.querySelector("[data-timer-toggle]");
    var display = box.querySelector("[data-timer]");
    if (!button || !display) { return; }
    var limit = parseInt(box.getAttribute("data-seconds"), 10) || 60;
    var started = null, handle = null;
    button.hidden = false;
    display.hidden = false;
    function show(seconds) {
      var m = Math.floor(seconds / 60), s = seconds % 60;
      display.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      display.classList.toggle("over", seconds > limit);
    }
    button.addEventListener("click", function () {
      if (handle) {
        clearInterval(handle);
        handle = null;
        button.textContent = button.getAttribute("data-start-label");
        return;
      }
      started = Date.now();
      show(0);
      button.textContent = button.getAttribute("data-stop-label");
      handle = setInterval(function () {
        show(Math.floor((Date.now() - started) / 1000));
      }, 250);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-pitch]");
    for (var i = 0; i < boxes.length; i++) { setupCount(boxes[i]); setupTimer(boxes[i]); }
  });
})();
