/* Taxonomy comboboxes (WAI-ARIA 1.2 list autocomplete). Without this file the typed text is
   sent as is and the server finds the concept; with it, suggestions appear as you type and the
   chosen concept id goes in the hidden field next to the input. */
(function () {
  "use strict";
  function setup(box) {
    var input = box.querySelector("input[role=combobox]");
    var hidden = box.querySelector("input[type=hidden]");
    var holder = box.querySelector(".combobox-options");
    var listId = input.getAttribute("aria-controls");
    var timer = null, active = -1;
    function options() { return holder.querySelectorAll("[role=option]:not([aria-disabled=true])"); }
    function close() { holder.innerHTML = ""; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function choose(opt) { input.value = opt.getAttribute("data-label"); if (hidden) { hidden.value = opt.getAttribute("data-value"); } close(); }
    function mark(i) {
      var opts = options(); if (!opts.length) { return; }
      active = (i + opts.length) % opts.length;
      opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function fetchOptions() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var url = box.getAttribute("data-url") + "?format=html&limit=8&type=" + encodeURIComponent(box.getAttribute("data-type")) + "&listbox=" + encodeURIComponent(listId) + "&q=" + encodeURIComponent(q);
      fetch(url, { headers: { "HX-Request": "true" } }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
        holder.innerHTML = html; input.setAttribute("aria-expanded", options().length ? "true" : "false"); active = -1;
      });
    }
    input.addEventListener("input", function () { if (hidden) { hidden.value = ""; } clearTimeout(timer); timer = setTimeout(fetchOptions, 200); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); mark(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(options()[active]); }
      else if (e.key === "Escape") { close(); }
    });
    holder.addEventListener("click", function (e) { var opt = e.target.closest("[role=option]"); if (opt && opt.getAttribute("aria-disabled") !== "true") { choose(opt); input.focus(); } });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-combobox]").forEach(setup);
  });
})();
