/* Edit conflicts: a "Use their version" button under each overlapping part swaps the writer's version of
   that part, in the text area, for theirs (and back again). It only acts when the part is found exactly
   once, as whole lines, in the text area; otherwise it says so and changes nothing. The swap is an ordinary
   edit (Ctrl+Z undoes it) and nothing is saved until the writer saves.

   Without JavaScript the conflict view shows both versions and the writer copies by hand. Loaded with
   `defer`; no inline script (CSP). */
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  var textarea = form && form.querySelector("#id_text");
  var regions = document.querySelectorAll("[data-conflict-region]");
  if (!textarea || !regions.length) {
    return;
  }

  /* A part as plain text. The merge adds a line break to the end of the page, so the last part may end in
     one the text area does not have: parts are compared without their final line break. */
  function partText(pre) {
    return pre.textContent.replace(/\n$/, "");
  }

  /* Where `part` stands in the text as whole lines, if exactly once; -1 otherwise. An empty part (one side
     deleted those lines) cannot be located, so it is never swapped. */
  function onlyPlace(text, part) {
    if (!part) {
      return -1;
    }
    var found = -1;
    var from = 0;
    for (;;) {
      var at = text.indexOf(part, from);
      if (at === -1) {
        return found;
      }
      var end = at + part.length;
      var whole = (at === 0 || text[at - 1] === "\n") && (end === text.length || text[end] === "\n");
      if (whole) {
        if (found !== -1) {
          return -1;
        }
        found = at;
      }
      from = at + 1;
    }
  }

  function replaceRange(start, end, text) {
    window.districtwikiText.replace(textarea, start, end, text); // Ctrl+Z undoes it
    textarea.setSelectionRange(start, start + text.length);
  }

  function setUp(region, index) {
    var theirs = partText(region.querySelector("[data-conflict-theirs]"));
    var mine = partText(region.querySelector("[data-conflict-mine]"));
    var bar = document.createElement("p");
    bar.className = "conflict-actions";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-small";
    var note = document.createElement("span");
    note.className = "conflict-note";
    note.setAttribute("role", "status");
    note.id = "conflict-note-" + (index + 1);
    button.setAttribute("aria-describedby", note.id);
    bar.appendChild(button);
    bar.appendChild(note);
    region.appendChild(bar);
    var usingTheirs = false;

    function label() {
      button.textContent = usingTheirs ? "Use my version again" : "Use their version of this part";
    }

    button.addEventListener("click", function () {
      var from = usingTheirs ? theirs : mine;
      var to = usingTheirs ? mine : theirs;
      var at = onlyPlace(textarea.value, from);
      if (at === -1) {
        note.textContent = !from
          ? "This part is empty in the text: copy their lines into the editor by hand."
          : "This part has changed in the editor (or appears more than once): copy their lines by hand.";
        return;
      }
      replaceRange(at, at + from.length, to);
      button.focus(); // stay here: the change is selected in the editor, and said in the note
      usingTheirs = !usingTheirs;
      label();
      note.textContent = usingTheirs
        ? "Their version of part " + (index + 1) + " is now in the editor, selected there. Nothing is saved until you save."
        : "Your version of part " + (index + 1) + " is back in the editor.";
    });
    label();
  }

  Array.prototype.forEach.call(regions, setUp);
})();
