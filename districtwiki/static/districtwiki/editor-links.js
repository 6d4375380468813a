/* The [[link]] picker: typing "[[" in the page text (or pressing the toolbar's [[Link]] button) suggests page
   titles from /special/titles as the writer types. Up and down arrows choose, Enter or Tab inserts
   "[[Title]]", Escape closes; a status line tells screen readers how many titles match.

   The text area keeps focus and its textbox role (a multi-line combobox is not a thing screen readers know):
   it points at the list with aria-controls and at the chosen title with aria-activedescendant. Without
   JavaScript nothing changes: [[Title]] is typed by hand. Loaded with `defer`; no inline script (CSP). */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MAX_PREFIX = 255;

  var form = document.getElementById("editor-form");
  var textarea = form && form.querySelector("#id_text");
  if (!textarea || !window.fetch) {
    return;
  }
  var url = form.getAttribute("data-titles-url") || "/special/titles";
  var cache = new Map();
  var timer = null;
  var inFlight = null;
  var dismissedAt = -1; // the "[[" position Escape closed the picker for: stays closed until it changes
  var state = { open: false, start: -1, titles: [], active: -1 };

  /* --- The list and the status line, made once and placed after the text area --------------------- */

  var anchor = textarea.parentNode;
  anchor.classList.add("link-picker-anchor");
  var list = document.createElement("ul");
  list.id = "link-picker-list";
  list.className = "link-picker";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Pages to link to");
  list.hidden = true;
  var status = document.createElement("p");
  status.id = "link-picker-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  textarea.insertAdjacentElement("afterend", status);
  textarea.insertAdjacentElement("afterend", list);
  textarea.setAttribute("aria-autocomplete", "list");

  /* --- Where the writer is: inside an unfinished "[[…" before the caret? ---------------------------- */

  /* The position just after the "[[" the caret is in, and what was typed since, or null. A link target
     cannot hold "|", "[", "]" or a line break, so any of those ends the search. */
  function openLink() {
    var caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) {
      // The toolbar's [[Link]] button selects a "Page title" placeholder right after new brackets.
      return textarea.value.slice(caret - 2, caret) === "[[" ? { start: caret, typed: "" } : null;
    }
    var before = textarea.value.slice(Math.max(0, caret - MAX_PREFIX - 2), caret);
    var match = /\[\[([^\[\]|\n]*)$/.exec(before);
    if (!match) {
      return null;
    }
    return { start: caret - match[1].length, typed: match[1] };
  }

  /* --- Fetching titles --------------------------------------------------------------------------------- */

  function fetchTitles(prefix) {
    if (cache.has(prefix)) {
      return Promise.resolve(cache.get(prefix));
    }
    if (inFlight) {
      inFlight.abort();
    }
    inFlight = new AbortController();
    return fetch(url + "?prefix=" + encodeURIComponent(prefix), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: inFlight.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          return [];
        }
        return response.json().then(function (data) {
          var titles = Array.isArray(data.titles) ? data.titles : [];
          cache.set(prefix, titles);
          return titles;
        });
      })
      .catch(function () {
        return null; // aborted or offline: leave the list as it is
      });
  }

  function refresh() {
    var link = openLink();
    if (!link || link.start === dismissedAt) {
      close();
      return;
    }
    dismissedAt = -1;
    var prefix = link.typed.replace(/^\s+/, "");
    if (!prefix.trim()) {
      show(link.start, [], "Type the start of a page title to see matching pages.");
      return;
    }
    fetchTitles(prefix).then(function (titles) {
      var now = openLink();
      if (titles === null || !now || now.start !== link.start || now.typed !== link.typed) {
        return;
      }
      var message = titles.length
        ? titles.length + (titles.length === 1 ? " page matches" : " pages match") +
          ". Up and down arrows choose, Enter inserts the link."
        : "No page title starts with “" + prefix + "”.";
      show(link.start, titles, message);
    });
  }

  function scheduleRefresh() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  }

  /* --- Showing, choosing, closing ---------------------------------------------------------------------- */

  function show(start, titles, message) {
    state = { open: true, start: start, titles: titles, active: -1 };
    list.replaceChildren.apply(
      list,
      titles.map(function (title, index) {
        var option = document.createElement("li");
        option.id = "link-picker-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = title;
        return option;
      })
    );
    list.hidden = titles.length === 0;
    textarea.setAttribute("aria-controls", list.id);
    textarea.removeAttribute("aria-activedescendant");
    if (status.textContent !== message) {
      status.textContent = message;
    }
    if (!list.hidden) {
      place();
    }
  }

  function close() {
    clearTimeout(timer);
    if (!state.open) {
      return;
    }
    state = { open: false, start: -1, titles: [], active: -1 };
    list.hidden = true;
    list.replaceChildren();
    status.textContent = "";
    textarea.removeAttribute("aria-activedescendant");
    textarea.removeAttribute("aria-controls");
  }

  function choose(index) {
    var options = list.children;
    if (state.active >= 0 && options[state.active]) {
      options[state.active].setAttribute("aria-selected", "false");
    }
    state.active = index;
    var option = options[index];
    option.setAttribute("aria-selected", "true");
    textarea.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  /* Replace what was typed after "[[" by the title, with the rest of the old target up to the link's "]]"
     or its "|label" (which is kept), and put the caret after the target. */
  function insert(title) {
    var start = state.start;
    var rest = /^([^\[\]|\n]*)(\]\]|\|)?/.exec(textarea.value.slice(textarea.selectionEnd));
    var end = textarea.selectionEnd + (rest[2] ? rest[1].length : 0);
    var text = title + (rest[2] === "|" ? "" : "]]");
    if (rest[2] === "]]") {
      end += 2;
    }
    window.districtwikiText.replace(textarea, start, end, text); // Ctrl+Z undoes it
    textarea.setSelectionRange(start + text.length, start + text.length);
    close();
    dismissedAt = start; // the caret may still be inside this link (before its "|label"): stay closed
    status.textContent = "Inserted a link to " + title + ".";
  }

  /* --- Placing the list under the caret ---------------------------------------------------------------- */

  /* A hidden copy of the text area with the same font and wrapping, filled up to the caret, tells where
     the caret is drawn. */
  var COPIED = [
    "boxSizing", "width", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth",
    "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "fontFamily", "fontSize", "fontWeight",
    "fontStyle", "letterSpacing", "lineHeight", "tabSize", "textIndent", "wordSpacing", "whiteSpace",
    "overflowWrap", "wordBreak",
  ];

  function caretPoint() {
    var copy = document.createElement("div");
    var style = window.getComputedStyle(textarea);
    COPIED.forEach(function (name) {
      copy.style[name] = style[name];
    });
    copy.className = "link-picker-measure";
    copy.textContent = textarea.value.slice(0, textarea.selectionStart);
    var marker = document.createElement("span");
    marker.textContent = "\u200b";
    copy.appendChild(marker);
    document.body.appendChild(copy);
    var point = { left: marker.offsetLeft, top: marker.offsetTop + marker.offsetHeight };
    copy.remove();
    return point;
  }

  function place() {
    var point = caretPoint();
    var top = textarea.offsetTop + point.top - textarea.scrollTop + 4;
    var bottom = textarea.offsetTop + textarea.offsetHeight;
    var room = textarea.offsetWidth - list.offsetWidth;
    list.style.top = Math.min(Math.max(top, textarea.offsetTop), bottom) + "px";
    list.style.left = textarea.offsetLeft + Math.max(0, Math.min(point.left - textarea.scrollLeft, room)) + "px";
  }

  /* --- Events -------------------------------------------------------------------------------------------- */

  textarea.addEventListener("input", scheduleRefresh);
  textarea.addEventListener("click", scheduleRefresh);
  textarea.addEventListener("blur", function () {
    // A click on an option keeps the focus (mousedown below); this closes the list on Tab-away.
    setTimeout(function () {
      if (document.activeElement !== textarea) {
        close();
      }
    }, 200);
  });

  textarea.addEventListener("keydown", function (event) {
    if (!state.open) {
      return;
    }
    var count = state.titles.length;
    if (event.key === "Escape") {
      event.preventDefault();
      dismissedAt = state.start;
      close();
      status.textContent = "Suggestions closed.";
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && count) {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var from = state.active === -1 ? (step === 1 ? -1 : count) : state.active;
      choose((from + step + count) % count);
    } else if ((event.key === "Enter" && state.active >= 0) || (event.key === "Tab" && count && !event.shiftKey)) {
      event.preventDefault();
      insert(state.titles[Math.max(state.active, 0)]);
    }
  });

  textarea.addEventListener("keyup", function (event) {
    if (event.key === "ArrowLeft" || event.key === "ArrowRight" || event.key === "Home" || event.key === "End") {
      scheduleRefresh();
    }
  });

  list.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep the focus (and the caret) in the text area
    var option = event.target.closest("[role=option]");
    if (option) {
      insert(option.textContent);
    }
  });

  window.addEventListener("resize", function () {
    if (state.open && !list.hidden) {
      place();
    }
  });
})();
