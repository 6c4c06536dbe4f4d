/* Combobox behaviour for step 2's taxonomy inputs (WAI-ARIA 1.2 combobox with a listbox).
 *
 * htmx fetches the listbox (journey:competence_autocomplete) as the client types; this file
 * adds the keyboard and pointer handling: arrow keys move the active option
 * (aria-activedescendant), Enter or a tap picks it, Escape closes the list. Picking stores the
 * concept id in the hidden input named by data-hidden. In data-mode="keep" (job titles) the
 * typed title stays as written and the chosen occupation is shown beside it; in "fill" the
 * option's label replaces the text. Without this file the inputs are plain text fields and the
 * server resolves what was typed.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function parts(input) {
    var root = input.closest("[data-combobox]");
    if (!root) { return null; }
    return {
      root: root,
      input: input,
      hidden: document.getElementById(root.getAttribute("data-hidden")),
      box: root.querySelector(".combobox-options"),
      chosen: root.querySelector(".combobox-chosen"),
      mode: root.getAttribute("data-mode") || "fill"
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.box.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function close(p) {
    p.box.innerHTML = "";
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activate(p, index) {
    var opts = options(p);
    if (!opts.length) { return; }
    index = (index + opts.length) % opts.length;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    p.input.setAttribute("aria-activedescendant", opts[index].id);
    opts[index].scrollIntoView({ block: "nearest" });
  }

  function activeIndex(p) {
    var id = p.input.getAttribute("aria-activedescendant");
    return options(p).findIndex(function (o) { return o.id === id; });
  }

  function choose(p, option) {
    var label = option.getAttribute("data-label") || "";
    if (p.hidden) { p.hidden.value = option.getAttribute("data-value") || ""; }
    if (p.mode === "fill" || !p.input.value.trim()) { p.input.value = label; }
    if (p.chosen) {
      p.chosen.textContent = "";
      var prefix = document.createTextNode((p.mode === "keep" ? p.root.getAttribute("data-chosen-prefix") || "Yrke" : "Vald") + ": ");
      var strong = document.createElement("strong");
      strong.textContent = label;
      p.chosen.appendChild(prefix);
      p.chosen.appendChild(strong);
    }
    close(p);
    p.input.focus();
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") { return; }
    var p = parts(input);
    if (!p) { return; }
    var open = options(p).length > 0;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      activate(p, activeIndex(p) + 1);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      activate(p, activeIndex(p) - 1);
    } else if (event.key === "Enter" && open && activeIndex(p) >= 0) {
      event.preventDefault();  // pick, do not submit the form
      choose(p, options(p)[activeIndex(p)]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close(p);
    }
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("role") !== "combobox") { return; }
    var p = parts(input);
    // In "fill" mode the text is the concept: typing something else drops the choice.
    if (p && p.mode === "fill" && p.hidden) {
      p.hidden.value = "";
      if (p.chosen) { p.chosen.textContent = ""; }
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-combobox] [role=option]");
    if (!option || option.getAttribute("aria-disabled") === "true") { return; }
    var root = option.closest("[data-combobox]");
    var input = root.querySelector("[role=combobox]");
    choose(parts(input), option);
  });

  document.addEventListener("focusout", function (event) {
    var root = event.target.closest && event.target.closest("[data-combobox]");
    if (!root) { return; }
    // Close when focus leaves the whole widget (after a click on an option has been handled).
    window.setTimeout(function () {
      if (!root.contains(document.activeElement)) {
        var input = root.querySelector("[role=combobox]");
        if (input) { close(parts(input)); }
      }
    }, 150);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("combobox-options")) { return; }
    var input = box.closest("[data-combobox]").querySelector("[role=combobox]");
    input.setAttribute("aria-expanded", options(parts(input)).length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  });
})();
