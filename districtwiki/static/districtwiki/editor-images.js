/* Images dropped on or pasted into the page text are uploaded (/special/upload, asking for JSON: the same
   checks and limits as the upload form) and embedded where the caret was: "![Uploading …]()" shows at
   once, then becomes "![Name](File:Name.png)" with the alt text selected, ready to be typed over with a
   description. A refusal is said in a message under the text area, and the placeholder removed.

   Without JavaScript nothing changes: files are uploaded at /special/upload. Loaded with `defer`; no inline
   script (CSP). */
(function () {
  "use strict";

  var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
  var EXTENSIONS = { "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp" };

  var form = document.getElementById("editor-form");
  var textarea = form && form.querySelector("#id_text");
  if (!textarea || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-upload-url") || "/special/upload";
  var counter = 0;

  var notice = document.createElement("p");
  notice.id = "image-upload-status";
  notice.className = "image-upload-status";
  notice.setAttribute("role", "status");
  notice.hidden = true;
  var list = document.getElementById("link-picker-list");
  (list || textarea).insertAdjacentElement("afterend", notice);

  var help = document.getElementById("text-help");
  if (help) {
    help.appendChild(document.createTextNode(" To add an image, paste it or drop it into the text."));
  }

  function say(message, isError) {
    notice.textContent = message;
    notice.classList.toggle("image-upload-error", !!isError);
    notice.hidden = !message;
  }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* --- Editing the text: insert at the caret, later replace exactly what was inserted ------------------ */

  function insertAtCaret(text) {
    window.districtwikiText.replace(textarea, textarea.selectionStart, textarea.selectionEnd, text);
  }

  /* The placeholder may have moved (the writer kept typing) or been deleted: find it again, and do nothing
     if it is gone. Returns where the replacement starts, or -1. */
  function replacePlaceholder(placeholder, text) {
    var at = textarea.value.indexOf(placeholder);
    if (at === -1) {
      return -1;
    }
    var caret = textarea.selectionStart;
    var caretEnd = textarea.selectionEnd;
    textarea.setRangeText(text, at, at + placeholder.length, "preserve");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    if (document.activeElement === textarea) {
      var shift = text.length - placeholder.length;
      textarea.setSelectionRange(
        caret > at ? Math.max(at, caret + shift) : caret,
        caretEnd > at ? Math.max(at, caretEnd + shift) : caretEnd
      );
    }
    return at;
  }

  /* Whether the writer is still where the placeholder went in (then the alt text may be selected for them). */
  function caretRightAfter(placeholder) {
    var end = textarea.value.indexOf(placeholder) + placeholder.length;
    return (
      document.activeElement === textarea &&
      textarea.selectionStart === end &&
      textarea.selectionEnd === end
    );
  }

  /* --- Uploading ----------------------------------------------------------------------------------------- */

  function fileName(file) {
    var extension = EXTENSIONS[file.type];
    var name = file.name || "";
    // A pasted screenshot is called "image.png" by every browser: name it after the page instead.
    if (!name || /^image\.\w+$/i.test(name)) {
      var title = (form.getAttribute("data-title") || "Page").replace(/[\/\\#<>\[\]|{}:]/g, " ").trim();
      name = title + " image" + extension;
    }
    return name;
  }

  function upload(file) {
    var name = fileName(file);
    counter += 1;
    var placeholder = "![Uploading " + name.replace(/[\[\]]/g, "") + "… (" + counter + ")]()";
    insertAtCaret(placeholder);
    say("Uploading " + name + "…", false);
    var body = new FormData();
    body.append("file", file, name);
    body.append("fresh_name", "1");
    body.append("csrfmiddlewaretoken", csrfToken());
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (data) {
            return { ok: response.ok, status: response.status, data: data };
          });
      })
      .then(function (result) {
        if (result.ok && result.data.markdown) {
          var waiting = caretRightAfter(placeholder);
          var at = replacePlaceholder(placeholder, result.data.markdown);
          if (at === -1) {
            say("Uploaded " + result.data.name + ", but its place in the text was removed meanwhile: to show it, " +
              "add " + result.data.markdown + " where it belongs.", false);
            return;
          }
          if (waiting) {
            textarea.setSelectionRange(at + 2, at + 2 + result.data.alt.length); // type to describe the image
          }
          say("Uploaded " + result.data.name + ". The selected text is its description for people who cannot see it: type a better one.", false);
          return;
        }
        replacePlaceholder(placeholder, "");
        var detail = result.data.detail || (result.status === 403
          ? "The upload was refused: reload the page (you may have been signed out) and try again."
          : "The upload failed (" + result.status + "). Try again, or use the Upload a file page.");
        say(name + " was not uploaded: " + detail, true);
      })
      .catch(function () {
        replacePlaceholder(placeholder, "");
        say(name + " was not uploaded: the server could not be reached. Try again.", true);
      });
  }

  function filesIn(transfer) {
    return transfer && transfer.files ? Array.prototype.slice.call(transfer.files) : [];
  }

  function handle(files, event) {
    if (!files.length) {
      return; // text or a link: the browser's own behaviour
    }
    event.preventDefault();
    var images = files.filter(function (file) {
      return IMAGE_TYPES.indexOf(file.type) !== -1;
    });
    if (images.length < files.length) {
      say("Only PNG, JPEG, GIF or WebP images can be dropped or pasted here; upload other files on the Upload a file page.", true);
    }
    images.forEach(upload);
  }

  textarea.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], "Files") !== -1) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      textarea.classList.add("image-drop-target");
    }
  });
  textarea.addEventListener("dragleave", function () {
    textarea.classList.remove("image-drop-target");
  });
  textarea.addEventListener("drop", function (event) {
    textarea.classList.remove("image-drop-target");
    handle(filesIn(event.dataTransfer), event);
  });
  textarea.addEventListener("paste", function (event) {
    handle(filesIn(event.clipboardData), event);
  });
})();
