// Broadsheet keyboard shortcuts, and memory for the colour switch in the
// footer: a progressive enhancement, every page works without this script. It is loaded with `defer` from its own file and uses
// no inline code and no eval, so it runs under a strict Content-Security-Policy.
//
//   j  next article: the next entry of a list, or the older article
//   k  previous article: the previous entry, or the newer article
//   /  focus the search box, when the page has one
(function () {
  "use strict";

  // The colour switch works through CSS alone, for one page; remember the
  // choice so the next page opens with it.
  var THEME_KEY = "broadsheet-theme";
  function rememberedTheme() {
    try {
      return window.localStorage.getItem(THEME_KEY);
    } catch (error) {
      return null; // storage disabled: the switch still works per page
    }
  }
  var saved = document.getElementById("theme-" + rememberedTheme());
  if (saved) {
    saved.checked = true;
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "theme") {
      try {
        window.localStorage.setItem(THEME_KEY, event.target.value);
      } catch (error) {
        // storage disabled: nothing to remember with
      }
    }
  });

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
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
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
