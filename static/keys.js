// Broadsheet keyboard shortcuts, and memory for the colour switch in the
// footer: a progressive enhancement, every page works without this script.
// It is loaded with `defer` from its own file and uses no inline code and no
// eval, so it runs under a strict Content-Security-Policy.
//
//   j  next article: the next entry of a list, or the older article
//   k  previous article: the previous entry, or the newer article
//   /  focus the search box, when the page has one
//
// Single-key shortcuts get in the way of speech input and of some assistive
// technology, so the script adds an On/Off switch for them to the footer
// (WCAG 2.1.4); without the script there are no shortcuts and no switch.
(function () {
  "use strict";

  // Choices remembered across pages; storage may be disabled, in which case
  // the switches still work, for one page.
  function remembered(key) {
    try {
      return window.localStorage.getItem("broadsheet-" + key);
    } catch (error) {
      return null;
    }
  }
  function remember(key, value) {
    try {
      window.localStorage.setItem("broadsheet-" + key, value);
    } catch (error) {
      // storage disabled: nothing to remember with
    }
  }

  // The shortcuts switch, built like the colour switch in base.html (radio
  // buttons styled as a segmented control).
  function addShortcutsSwitch() {
    var colours = document.querySelector(".theme-switch");
    if (!colours) {
      return;
    }
    var fieldset = document.createElement("fieldset");
    fieldset.className = "switch keys-switch";
    var legend = document.createElement("legend");
    legend.textContent = "Keyboard shortcuts j, k and /";
    fieldset.appendChild(legend);
    ["on", "off"].forEach(function (value) {
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "keys";
      input.id = "keys-" + value;
      input.value = value;
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = value === "on" ? "On" : "Off";
      fieldset.appendChild(input);
      fieldset.appendChild(label);
    });
    colours.insertAdjacentElement("afterend", fieldset);
  }
  addShortcutsSwitch();

  // The colour switch works through CSS alone; the script only carries the
  // choice to the next page. The shortcuts switch is the script's own.
  ["theme", "keys"].forEach(function (key) {
    var saved = document.getElementById(key + "-" + (remembered(key) || (key === "keys" ? "on" : "auto")));
    if (saved) {
      saved.checked = true;
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "theme" || event.target.name === "keys") {
      remember(event.target.name, event.target.value);
    }
  });
  function shortcutsOn() {
    var off = document.getElementById("keys-off");
    return !(off && off.checked);
  }

  function isTyping(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  // In a list, j/k move the focus between entries (Enter then opens one);
  // past either end, and on an article page, they follow the page's own
  // rel=next/prev link, so the keys do exactly what the visible links do.
  function step(direction) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".article-list h2 a, .article-list h3 a"));
    var current = links.indexOf(document.activeElement);
    var target = current === -1 ? (direction > 0 ? 0 : links.length - 1) : current + direction;
    if (target >= 0 && target < links.length) {
      links[target].focus();
      return true;
    }
    var rel = direction > 0 ? "next" : "prev";
    var link = document.querySelector('.article-nav a[rel="' + rel + '"], .pagination a[rel="' + rel + '"]');
    if (!link) {
      return false;
    }
    window.location.href = link.href;
    return true;
  }

  function focusSearch() {
    // The first search box shown: the search page hides the header's.
    var box = Array.prototype.filter.call(document.querySelectorAll('input[type="search"]'), function (input) {
      return input.getClientRects().length > 0;
    })[0];
    if (!box) {
      return false;
    }
    box.focus();
    box.select();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || !shortcutsOn()) {
      return;
    }
    var handled = false;
    if (event.key === "j") {
      handled = step(1);
    } else if (event.key === "k") {
      handled = step(-1);
    } else if (event.key === "/") {
      handled = focusSearch();
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
