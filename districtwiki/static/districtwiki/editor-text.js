/* One way for the editor's scripts (toolbar, link picker, pasted images, conflict parts) to change the text:
   replace a range of the textarea. execCommand keeps the browser's own undo history, so Ctrl+Z undoes what a
   script did; setRangeText (plus an input event, which the live preview and the leave warning listen for)
   is the fallback where execCommand is unavailable or did not insert the text. Loaded before them. */
(function () {
  "use strict";

  function replace(textarea, start, end, text) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    var done = false;
    try {
      done = document.execCommand("insertText", false, text);
    } catch (error) {
      done = false;
    }
    if (!done || textarea.value.slice(start, start + text.length) !== text) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  window.districtwikiText = { replace: replace };
})();
