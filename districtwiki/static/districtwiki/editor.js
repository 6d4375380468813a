/* The page editor's progressive enhancements: formatting toolbar, live preview beside the text (Write /
   Preview tabs on narrow screens), inline "show changes", adding and removing source rows, a warning
   before losing unsaved text, and keyboard shortcuts (Ctrl/⌘+S save, Ctrl/⌘+B bold, Ctrl/⌘+I italic).
   Without JavaScript the form works the same through its Save / Preview / Show changes buttons.

   Loaded with `defer` from the edit page only; no inline script anywhere (CSP: script-src 'self'). */
(function () {
  "use strict";

  /* /special/preview spends a per-minute byte budget: wait for a pause in typing, longer for long texts
     (about +1 s per 50 KB), and never send the same text twice. */
  var PREVIEW_DELAY_MS = 600;
  var PREVIEW_DELAY_PER_CHAR_MS = 1 / 50;
  var MAX_PREVIEW_DELAY_MS = 2500;
  var NARROW = window.matchMedia ? window.matchMedia("(max-width: 63.99rem)") : null;
  var PLACEHOLDERS = { "**": "bold text", _: "italic text", "`": "code" };

  var form = document.getElementById("editor-form");
  var textarea = form && form.querySelector("#id_text");
  if (!textarea) {
    return;
  }

  /* --- Editing the textarea ------------------------------------------------------------------------ */

  /* Replace the selection (undoably: editor-text.js) and select part of what was inserted. */
  function replaceSelection(text, selectFrom, selectTo) {
    var start = textarea.selectionStart;
    window.districtwikiText.replace(textarea, start, textarea.selectionEnd, text);
    textarea.setSelectionRange(start + selectFrom, start + selectTo);
  }

  function selectedText() {
    return textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
  }

  /* **bold**: wrap the selection, or unwrap it when it is already wrapped; with nothing selected, insert a
     placeholder and select it so that typing replaces it. */
  function wrapSelection(marker) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var n = marker.length;
    if (start >= n && value.slice(start - n, start) === marker && value.slice(end, end + n) === marker) {
      textarea.setSelectionRange(start - n, end + n);
      replaceSelection(value.slice(start, end), 0, end - start);
      return;
    }
    // A double-click often selects the space after a word too; "**word **" would not be bold.
    var parts = /^(\s*)([\s\S]*?)(\s*)$/.exec(selectedText());
    var inner = parts[2] || PLACEHOLDERS[marker] || "text";
    var text = parts[1] + marker + inner + marker + parts[3];
    replaceSelection(text, parts[1].length + n, parts[1].length + n + inner.length);
  }

  /* "## " or "- " before every selected line (toggled off when all of them have it already); "1. "
     numbers the lines. */
  function prefixLines(prefix) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    if (end > start && value.charAt(end - 1) === "\n") {
      end -= 1;
    }
    var lineEnd = value.indexOf("\n", end);
    end = lineEnd === -1 ? value.length : lineEnd;
    var lines = value.slice(start, end).split("\n");
    var numbered = /^1\. $/.test(prefix);
    var pattern = numbered ? /^\d+\. / : null;
    var hasText = lines.some(function (line) {
      return line.trim() !== "";
    });
    var allHave = hasText && lines.every(function (line) {
      return line.trim() === "" || (pattern ? pattern.test(line) : line.indexOf(prefix) === 0);
    });
    var number = 0;
    var changed = lines.map(function (line) {
      if (allHave) {
        return pattern ? line.replace(pattern, "") : line.slice(prefix.length);
      }
      if (line.trim() === "" && lines.length > 1) {
        return line; // a blank line between paragraphs stays blank
      }
      number += 1;
      return (numbered ? number + ". " : prefix) + line;
    });
    var text = changed.join("\n");
    textarea.setSelectionRange(start, end);
    replaceSelection(text, 0, text.length);
  }

  function insertWikilink() {
    var inner = selectedText() || "Page title";
    replaceSelection("[[" + inner + "]]", 2, 2 + inner.length);
  }

  /* [text](https://): with a selection the address is selected for typing, otherwise the link text. */
  function insertLink() {
    var label = selectedText();
    var url = "https://";
    if (label) {
      replaceSelection("[" + label + "](" + url + ")", label.length + 3, label.length + 3 + url.length);
    } else {
      replaceSelection("[text](" + url + ")", 1, 5);
    }
  }

  /* A table has to start on its own line after a blank one, or Markdown reads it as paragraph text. */
  function insertTable() {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var heading = "Heading 1";
    var table =
      "| " + heading + " | Heading 2 |\n" +
      "| --- | --- |\n" +
      "| Cell | Cell |\n" +
      "| Cell | Cell |\n";
    replaceSelection(lead + table, lead.length + 2, lead.length + 2 + heading.length);
  }

  function runToolbarButton(button) {
    if (button.hasAttribute("data-wrap")) {
      wrapSelection(button.getAttribute("data-wrap"));
    } else if (button.hasAttribute("data-prefix")) {
      prefixLines(button.getAttribute("data-prefix"));
    } else if (button.hasAttribute("data-wikilink")) {
      insertWikilink();
    } else if (button.hasAttribute("data-link")) {
      insertLink();
    } else if (button.hasAttribute("data-table")) {
      insertTable();
    }
  }

  function setUpToolbar() {
    var toolbar = form.querySelector(".editor-toolbar");
    if (!toolbar) {
      return;
    }
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (button && toolbar.contains(button)) {
        event.preventDefault();
        runToolbarButton(button);
      }
    });
  }

  /* --- Talking to /special/preview -------------------------------------------------------------------- */

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* POST the text; resolve to {ok, html} or {ok: false, message} — never reject, so callers stay simple. */
  /* The live preview needs only the text; "show changes" sends the whole form, whose "About this page"
     fields the server composes into the text as a save would. */
  function postPreview(fields, signal, wholeForm) {
    var body = wholeForm ? new FormData(form) : new FormData();
    if (!wholeForm) {
      body.append("text", textarea.value);
      body.append("csrfmiddlewaretoken", csrfToken());
    }
    Object.keys(fields).forEach(function (name) {
      body.append(name, fields[name]);
    });
    var url = form.getAttribute("data-preview-url") || "/special/preview";
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      signal: signal,
    })
      .then(function (response) {
        if (response.ok) {
          return response.text().then(function (html) {
            return { ok: true, html: html };
          });
        }
        return response
          .json()
          .then(function (data) {
            return data.detail;
          })
          .catch(function () {
            return "";
          })
          .then(function (detail) {
            return { ok: false, message: detail || "The preview is not available right now (" + response.status + ")." };
          });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return { ok: false, aborted: true };
        }
        return { ok: false, message: "The preview is not available right now: the server could not be reached." };
      });
  }

  function showMessage(container, message) {
    var p = document.createElement("p");
    p.className = "preview-error";
    p.textContent = message;
    container.replaceChildren(p);
  }

  /* --- Live preview ----------------------------------------------------------------------------------- */

  function isNarrow() {
    return NARROW !== null && NARROW.matches;
  }

  /* One preview pane: the Preview button's page (no JavaScript) shows the server's preview in it, and the
     live preview takes it over from there without fetching the same text again. */
  function setUpLivePreview() {
    var panel = document.getElementById("live-preview");
    var content = document.getElementById("live-preview-content");
    var panes = document.getElementById("editor-panes");
    if (!panel || !content || !panes || !window.fetch) {
      return null;
    }
    panel.hidden = false;
    panes.classList.add("has-preview");
    var timer = null;
    var inFlight = null;
    var lastSent = content.hasAttribute("data-rendered") ? textarea.value : null;

    function visible() {
      return !isNarrow() || panes.getAttribute("data-view") === "preview";
    }

    function refresh() {
      window.clearTimeout(timer);
      if (textarea.value === lastSent || !visible()) {
        return; // the same text is shown already, or nobody can see it (the Write tab is open)
      }
      if (inFlight) {
        inFlight.abort();
      }
      inFlight = new AbortController();
      lastSent = textarea.value;
      panel.setAttribute("aria-busy", "true");
      postPreview({ title: form.getAttribute("data-title") || "" }, inFlight.signal).then(function (result) {
        if (result.aborted) {
          return;
        }
        panel.removeAttribute("aria-busy");
        inFlight = null;
        if (result.ok) {
          // Sanitised on the server (markup.sanitize): the same HTML a saved page shows.
          content.innerHTML = result.html;
        } else {
          lastSent = null; // try again on the next change
          showMessage(content, result.message);
        }
      });
    }

    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      var delay = Math.min(
        MAX_PREVIEW_DELAY_MS,
        PREVIEW_DELAY_MS + textarea.value.length * PREVIEW_DELAY_PER_CHAR_MS
      );
      timer = window.setTimeout(refresh, delay);
    });
    if (NARROW && NARROW.addEventListener) {
      NARROW.addEventListener("change", refresh);
    }
    followScrolling(panel.querySelector(".preview-scroll"));
    if (textarea.value.trim() !== "") {
      refresh();
    }
    return { refresh: refresh, panes: panes };
  }

  /* Side by side, the preview keeps to the same part of the page as the text. */
  function followScrolling(scroller) {
    if (!scroller) {
      return;
    }
    textarea.addEventListener("scroll", function () {
      var room = textarea.scrollHeight - textarea.clientHeight;
      if (room > 0 && !isNarrow()) {
        scroller.scrollTop = (textarea.scrollTop / room) * (scroller.scrollHeight - scroller.clientHeight);
      }
    });
  }

  /* Narrow screens: Write and Preview are tabs (arrow keys move between them, as ARIA tabs do). */
  function setUpTabs(preview) {
    var tablist = form.querySelector(".editor-tabs");
    if (!tablist || !preview) {
      return null;
    }
    var tabs = Array.prototype.slice.call(tablist.querySelectorAll("[role=tab]"));
    tablist.hidden = false;
    preview.panes.classList.add("tabbed");
    form.classList.add("tabbed");

    function select(tab, moveFocus) {
      tabs.forEach(function (each) {
        each.setAttribute("aria-selected", each === tab ? "true" : "false");
        each.tabIndex = each === tab ? 0 : -1;
      });
      var view = tab.getAttribute("aria-controls") === "live-preview" ? "preview" : "write";
      preview.panes.setAttribute("data-view", view);
      if (moveFocus) {
        tab.focus();
      }
      if (view === "preview") {
        preview.refresh();
      }
    }

    tablist.addEventListener("click", function (event) {
      var tab = event.target.closest("[role=tab]");
      if (tab) {
        select(tab, false);
      }
    });
    tablist.addEventListener("keydown", function (event) {
      var index = tabs.indexOf(document.activeElement);
      var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (index === -1 || next === undefined) {
        return;
      }
      event.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
    if (document.getElementById("live-preview-content").hasAttribute("data-rendered")) {
      select(tabs[1], false);
    }
    return {
      showPreview: function () {
        select(tabs[1], false);
      },
    };
  }

  /* With the preview on screen, the Preview button refreshes it at once (and opens the Preview tab). */
  function setUpPreviewButton(preview, tabs) {
    var button = form.querySelector("button[name=preview]");
    if (!button || !preview) {
      return;
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (tabs && isNarrow()) {
        tabs.showPreview();
      }
      preview.refresh();
    });
  }

  /* --- Show changes inline ------------------------------------------------------------------------------ */

  function setUpShowChanges() {
    var button = form.querySelector("button[name=show_changes]");
    if (!button || !window.fetch) {
      return;
    }
    var section = null;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      button.disabled = true;
      postPreview({ mode: "changes", title: form.getAttribute("data-title") || "" }, undefined, true).then(function (result) {
        button.disabled = false;
        if (!result.ok) {
          // Fall back to the no-JS way: the server renders the changes into the page.
          allowLeaving();
          form.requestSubmit ? form.requestSubmit(button) : form.submit();
          return;
        }
        section = section || changesSection();
        section.querySelector(".changes-body").innerHTML = result.html;
        section.hidden = false;
        section.querySelector("h2").focus();
      });
    });
  }

  function changesSection() {
    var section = document.createElement("section");
    section.className = "changes";
    section.id = "inline-changes";
    section.setAttribute("aria-labelledby", "inline-changes-heading");
    var heading = document.createElement("h2");
    heading.id = "inline-changes-heading";
    heading.tabIndex = -1;
    heading.textContent = "Your changes";
    var body = document.createElement("div");
    body.className = "changes-body";
    section.append(heading, body);
    var posted = document.getElementById("changes"); // the Show changes button's page: one list, not two
    if (posted) {
      posted.remove();
    }
    document.getElementById("editor-panes").before(section);
    return section;
  }

  /* --- Source rows ------------------------------------------------------------------------------------ */

  /* Rows are numbered sources-0-…, sources-1-… with TOTAL_FORMS saying how many (a Django formset). */
  function setUpSourceRows() {
    var list = document.getElementById("source-rows");
    var total = form.querySelector("input[name=sources-TOTAL_FORMS]");
    var add = document.getElementById("add-source");
    if (!list || !total || !add) {
      return;
    }
    var limit = parseInt(form.querySelector("input[name=sources-MAX_NUM_FORMS]").value, 10) || 100;

    function rows() {
      return Array.prototype.slice.call(list.querySelectorAll("[data-source-row]"));
    }

    function renumber() {
      rows().forEach(function (row, index) {
        row.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
          ["name", "id", "for"].forEach(function (attribute) {
            var value = element.getAttribute(attribute);
            if (value) {
              element.setAttribute(attribute, value.replace(/sources-\d+-/, "sources-" + index + "-"));
            }
          });
        });
        row.querySelectorAll(".source-number").forEach(function (number) {
          number.textContent = String(index + 1);
        });
      });
      total.value = String(rows().length);
      add.disabled = rows().length >= limit;
    }

    function addTools(row) {
      row.classList.add("has-tools");
      row.querySelector("[data-remove-source]").hidden = false;
    }

    rows().forEach(addTools);
    add.hidden = false;
    add.addEventListener("click", function () {
      var last = rows()[rows().length - 1];
      var row = last.cloneNode(true);
      row.querySelectorAll("input").forEach(function (input) {
        input.value = "";
        input.removeAttribute("aria-invalid");
      });
      row.querySelectorAll(".field-error").forEach(function (error) {
        error.remove();
      });
      list.append(row);
      renumber();
      row.querySelector("input").focus();
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-source]");
      if (!button) {
        return;
      }
      var row = button.closest("[data-source-row]");
      var next = row.nextElementSibling || row.previousElementSibling;
      if (rows().length === 1) {
        row.querySelectorAll("input").forEach(function (input) {
          input.value = "";
        });
        row.querySelector("input").focus();
        return;
      }
      row.remove();
      renumber();
      (next ? next.querySelector("input") : add).focus();
    });
  }

  /* --- Size hint ---------------------------------------------------------------------------------------- */

  function setUpSizeHint() {
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!limit || !window.TextEncoder) {
      return;
    }
    var hint = document.createElement("p");
    hint.className = "help editor-size";
    hint.id = "editor-size";
    hint.setAttribute("aria-live", "polite");
    hint.hidden = true;
    textarea.after(hint);
    var encoder = new TextEncoder();
    function update() {
      var size = encoder.encode(textarea.value).length;
      hint.hidden = size < limit * 0.9;
      hint.textContent =
        size > limit
          ? "Too long to save: " + size.toLocaleString() + " bytes of " + limit.toLocaleString() + " allowed."
          : size.toLocaleString() + " of " + limit.toLocaleString() + " bytes allowed.";
      hint.classList.toggle("field-error", size > limit);
    }
    textarea.addEventListener("input", update);
    update();
  }

  /* --- Unsaved changes and shortcuts ------------------------------------------------------------------ */

  var submitting = false;

  function allowLeaving() {
    submitting = true;
  }

  function formState() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  var loadedState = "";

  /* A form shown again after a POST (preview, conflict, error) holds text that is not saved yet; so does
     one where any field (the text, the summary, the page's details) differs from how it was loaded. */
  function hasUnsavedText() {
    return form.hasAttribute("data-unsaved") || formState() !== loadedState;
  }

  function setUpLeaveWarning() {
    loadedState = formState();
    form.addEventListener("submit", allowLeaving);
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && hasUnsavedText()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    // Back from the bfcache after a submit: the page is live again and must warn again.
    window.addEventListener("pageshow", function () {
      submitting = false;
    });
  }

  function setUpShortcuts() {
    var save = form.querySelector("button[name=save]");
    var bold = form.querySelector('.editor-toolbar [data-wrap="**"]');
    var italic = form.querySelector('.editor-toolbar [data-wrap="_"]');
    var hint = document.getElementById("editor-shortcut-hint");
    if (hint) {
      hint.hidden = false; // the shortcut only exists with JavaScript, so only then is it mentioned
    }
    document.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
        return;
      }
      var key = (event.key || "").toLowerCase();
      if (key === "s" && save) {
        event.preventDefault();
        save.click();
      } else if (event.target === textarea && key === "b" && bold) {
        event.preventDefault();
        runToolbarButton(bold);
      } else if (event.target === textarea && key === "i" && italic) {
        event.preventDefault();
        runToolbarButton(italic);
      }
    });
  }

  setUpToolbar();
  var preview = setUpLivePreview();
  setUpPreviewButton(preview, setUpTabs(preview));
  setUpShowChanges();
  setUpSourceRows();
  setUpSizeHint();
  setUpLeaveWarning();
  setUpShortcuts();
})();
