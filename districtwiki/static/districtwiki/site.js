/* Site-wide progressive enhancement, kept tiny: a form or button with data-confirm="Question?" asks
   before it submits. Without JavaScript the form simply submits (each such action has its own page or
   can be undone from the history). No inline script anywhere (CSP: script-src 'self'). */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question =
      (submitter && submitter.getAttribute("data-confirm")) || (form && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();

/* Menus are <details> elements, so they open and close without JavaScript. With it, they also close like
   menus people know: on Escape (focus goes back to the button), on a click or focus outside them, and when
   another menu opens. */
(function () {
  "use strict";

  var MENUS = "details.dropdown, details.site-menu";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll(MENUS + "[open]"));
  }

  function closeAllExcept(keep) {
    openMenus().forEach(function (menu) {
      if (menu !== keep && !menu.contains(keep)) {
        menu.removeAttribute("open");
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var menus = openMenus();
    if (!menus.length) {
      return;
    }
    // Close the innermost open menu that holds focus (or the last opened), and give its button focus.
    var inside = menus.filter(function (menu) {
      return menu.contains(document.activeElement);
    });
    var menu = inside.length ? inside[inside.length - 1] : menus[menus.length - 1];
    menu.removeAttribute("open");
    var summary = menu.querySelector("summary");
    if (summary) {
      summary.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var inside = event.target.closest ? event.target.closest(MENUS) : null;
    closeAllExcept(inside);
  });

  document.addEventListener("focusin", function (event) {
    var inside = event.target.closest ? event.target.closest(MENUS) : null;
    openMenus().forEach(function (menu) {
      if (menu !== inside && !menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });
})();
