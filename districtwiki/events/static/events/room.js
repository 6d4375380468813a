// The live room: takes the server-rendered room page (list #messages, form #message-form) live over a
// WebSocket (protocol in districtwiki/events/consumers.py). New messages, edits and hides appear without a
// reload, in the list's polite live region; Enter sends and Shift+Enter starts a new line; a sent message
// shows "sending…" until the server has stored it. After a drop it reconnects with backoff and asks for
// everything after the last id it holds (deduplicated by id). While it is not connected, or where
// WebSockets do not work, the form posts as it does without JavaScript.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  if (!list || !("WebSocket" in window) || !window.JSON) return;
  if (document.querySelector(".newer")) return; // an older page of the conversation stays as it is

  var portMeta = document.querySelector('meta[name="live-rooms-port"]');
  if (!portMeta) return; // nothing serves the live rooms here: the page and its form are all there is
  var port = portMeta.content;
  var form = document.getElementById("message-form");
  var textarea = form ? form.querySelector("textarea[name=text]") : null;
  var host = port && port !== "0" ? location.hostname + ":" + port : location.host;
  var address = (location.protocol === "https:" ? "wss://" : "ws://") + host + "/ws/rooms/" +
    encodeURIComponent(list.dataset.room) + "/";
  var moderator = !!document.querySelector(".moderation-panel");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  var roomUrl = form ? form.getAttribute("action") : location.pathname;

  var socket = null;
  var live = false;
  var attempts = 0;
  var gaveUp = false;
  var counter = 0;
  var pending = {}; // client_id → {item, text, frame}
  var own = {}; // ids of messages this page sent
  var lastId = 0;
  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (item) {
    lastId = Math.max(lastId, Number(item.dataset.id) || 0);
  });

  var status = document.createElement("p");
  status.className = "live-status muted";
  status.setAttribute("role", "status");
  var log = list.parentNode;
  log.parentNode.insertBefore(status, log);
  var presence = document.createElement("p");
  presence.className = "presence muted";
  log.parentNode.insertBefore(presence, status);
  var problem = document.createElement("div");
  problem.className = "error-box";
  problem.setAttribute("role", "alert");
  problem.hidden = true;
  if (form) form.parentNode.insertBefore(problem, form);

  function setStatus(text) {
    status.textContent = text;
  }

  function showProblem(text) {
    problem.textContent = "";
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    problem.appendChild(paragraph);
    problem.hidden = !text;
  }

  function connect() {
    try {
      socket = new WebSocket(address);
    } catch (error) {
      giveUp();
      return;
    }
    socket.onopen = function () {
      live = true;
      attempts = 0;
      setStatus("Live: new messages appear as they are posted.");
      send({ type: "resume", after: lastId });
    };
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      var handler = handlers[frame.type];
      if (handler) handler(frame);
    };
    socket.onclose = function (event) {
      var wasLive = live;
      live = false;
      socket = null;
      if (event.code === 4403 || event.code === 4404) {
        giveUp();
        return;
      }
      attempts += 1;
      if (!wasLive && attempts > 6) {
        giveUp();
        return;
      }
      waiting();
      var delay = Math.min(30000, 500 * Math.pow(2, attempts)) * (0.75 + Math.random() / 2);
      setStatus("Connection lost: reconnecting… (messages can still be sent with the form)");
      window.setTimeout(connect, delay);
    };
  }

  function giveUp() {
    gaveUp = true;
    live = false;
    unconfirmed();
    setStatus("Live updates are not available: reload the page to see new messages.");
  }

  function send(frame) {
    if (socket && live) socket.send(JSON.stringify(frame));
  }

  // A message sent but not acknowledged when the connection dropped may or may not be stored. Once the
  // page has reconnected and caught up, it sends each such message again under the same client_id: the
  // server acknowledges the one it stored, or stores it now; never twice (chat.post_message).
  function waiting() {
    Object.keys(pending).forEach(function (clientId) {
      var label = pending[clientId].item.querySelector(".chat-edited");
      if (label) label.textContent = "waiting for the connection…";
    });
  }

  function sendAgain() {
    Object.keys(pending).forEach(function (clientId) {
      var label = pending[clientId].item.querySelector(".chat-edited");
      if (label) label.textContent = "sending…";
      send(pending[clientId].frame);
    });
  }

  // When live updates are given up, what was never acknowledged goes back to the person to send with the
  // form (a second send of a stored one is then theirs to spot).
  function unconfirmed() {
    Object.keys(pending).forEach(function (clientId) {
      var entry = pending[clientId];
      delete pending[clientId];
      if (entry.item.parentNode) entry.item.parentNode.removeChild(entry.item);
      if (textarea && !textarea.value) textarea.value = entry.text;
      showProblem("Live updates stopped while a message was being sent. It is back in the message box: " +
        "reload the page, and send it if it is not in the conversation.");
    });
  }

  // --- Rendering a payload as the server's template does (events/_message.html) -----------------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The page's icon sprite (its address carries a version), so that live-drawn badges wear the icons the
  // server draws on the same messages.
  var spriteUse = document.querySelector("svg.icon use");
  var sprite = spriteUse ? (spriteUse.getAttribute("href") || "").split("#")[0] : "";

  function icon(name) {
    if (!sprite) return document.createTextNode("");
    var svgNs = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var use = document.createElementNS(svgNs, "use");
    use.setAttribute("href", sprite + "#" + name);
    svg.appendChild(use);
    return svg;
  }

  function withIcon(name, node) {
    node.insertBefore(document.createTextNode(" "), node.firstChild);
    node.insertBefore(icon(name), node.firstChild);
    return node;
  }

  function crc32(text) {
    var bytes = unescape(encodeURIComponent(text));
    var crc = -1;
    for (var i = 0; i < bytes.length; i++) {
      crc ^= bytes.charCodeAt(i);
      for (var bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
    }
    return (crc ^ -1) >>> 0;
  }

  function avatar(name) {
    var words = name.split(/[\s._-]+/).filter(Boolean);
    var letters = words.length ? words[0][0] + (words.length > 1 ? words[words.length - 1][0] : "") : "?";
    var node = element("span", "avatar avatar-small avatar-colour-" + (crc32(name.toLowerCase()) % 6 + 1),
      letters.toUpperCase());
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  function hiddenLabel(text) {
    return element("span", "visually-hidden", text);
  }

  function postForm(action, label, hidden) {
    var post = element("form", "inline-form");
    post.method = "post";
    post.action = action;
    if (csrf) {
      var token = element("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf.value;
      post.appendChild(token);
    }
    var button = element("button", "button-small", label);
    button.type = "submit";
    if (hidden) button.appendChild(hiddenLabel(hidden));
    post.appendChild(button);
    return post;
  }

  function link(href, text, hidden) {
    var anchor = element("a", "", text);
    anchor.href = href;
    if (hidden) anchor.appendChild(hiddenLabel(hidden));
    return anchor;
  }

  function when(iso) {
    var date = new Date(iso);
    var time = element("time", "", date.toLocaleString(undefined, {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false
    }));
    time.setAttribute("datetime", iso);
    return time;
  }

  function render(message) {
    var item = element("li", "chat-message" + (message.hidden ? " is-hidden" : "") +
      (message.deleted ? " is-deleted" : "") + (message.is_question ? " is-question" : ""));
    item.id = "m" + message.id;
    item.dataset.id = message.id;
    var meta = element("div", "chat-meta");
    meta.appendChild(avatar(message.author));
    var author = element("span", "chat-author");
    author.appendChild(message.author_url ? link(message.author_url, message.author) :
      document.createTextNode(message.author));
    meta.appendChild(author);
    var stamp = link("#m" + message.id, "");
    stamp.className = "chat-time";
    stamp.appendChild(when(message.created_at));
    meta.appendChild(stamp);
    if (message.is_question) {
      meta.appendChild(withIcon("circle-help", element("span", "badge", "Question" + (message.votes ?
        " · " + message.votes + " vote" + (message.votes === 1 ? "" : "s") : ""))));
    }
    if (message.answered) {
      var answered = withIcon("check", element("span", "badge badge-success", "Answered "));
      if (message.answer) answered.appendChild(link("#m" + message.answer, "(answer)"));
      meta.appendChild(answered);
    }
    if (message.edited) meta.appendChild(element("span", "chat-edited", "(edited)"));
    if (message.reply_to) {
      var reply = withIcon("corner-down-right", element("span", "chat-reply-to"));
      reply.appendChild(link("#m" + message.reply_to, "in reply to message " + message.reply_to));
      meta.appendChild(reply);
    }
    item.appendChild(meta);
    if (message.placeholder) {
      item.appendChild(withIcon("eye-off", element("p", "chat-placeholder", message.placeholder +
        (message.hidden_reason ? " Reason: " + message.hidden_reason : ""))));
    }
    if (message.html) {
      var body = element("div", "page-content chat-body");
      body.innerHTML = message.html; // sanitised by the server, as the page's own messages are
      item.appendChild(body);
    }
    var actions = renderActions(message);
    if (actions.childNodes.length) item.appendChild(actions);
    return item;
  }

  function renderActions(message) {
    var actions = element("div", "chat-actions");
    var gone = message.hidden || message.deleted;
    var mine = !!own[message.id];
    if (!gone && form) {
      actions.appendChild(link(roomUrl + "?reply_to=" + message.id + "#message-form", "Reply",
        " to " + message.author));
      if (message.is_question && !mine) {
        actions.appendChild(postForm("/events/messages/" + message.id + "/vote", "Upvote",
          " question " + message.id));
      }
      if (mine) {
        actions.appendChild(link("/events/messages/" + message.id + "/edit", "Edit", " your message"));
        actions.appendChild(postForm("/events/messages/" + message.id + "/delete", "Delete", " your message"));
      } else {
        actions.appendChild(link("/events/messages/" + message.id + "/report", "Report",
          " message " + message.id));
      }
    }
    if (moderator && !message.deleted) {
      if (message.hidden) {
        actions.appendChild(postForm("/events/messages/" + message.id + "/unhide", "Unhide",
          " message " + message.id));
      } else {
        actions.appendChild(hideForm(message.id));
      }
    }
    return actions;
  }

  function hideForm(id) {
    var details = element("details", "moderate");
    var summary = element("summary", "", "Hide");
    summary.appendChild(hiddenLabel(" message " + id));
    summary.appendChild(document.createTextNode("…"));
    details.appendChild(summary);
    var hide = postForm("/events/messages/" + id + "/hide", "Hide message " + id);
    var label = element("label", "", "Reason for hiding");
    label.htmlFor = "hide-" + id;
    var reason = element("input");
    reason.id = "hide-" + id;
    reason.type = "text";
    reason.name = "reason";
    reason.maxLength = 1000;
    reason.required = true;
    hide.insertBefore(reason, hide.lastChild);
    hide.insertBefore(label, reason);
    details.appendChild(hide);
    return details;
  }

  // --- Frames from the server ------------------------------------------------------------------------

  function place(message) {
    lastId = Math.max(lastId, message.id);
    var existing = document.getElementById("m" + message.id);
    var item = render(message);
    if (existing) {
      existing.parentNode.replaceChild(item, existing);
      return;
    }
    var empty = log.querySelector(".empty-room");
    if (empty) empty.parentNode.removeChild(empty);
    var after = null; // keep the list in id order whatever order frames come in
    Array.prototype.some.call(list.children, function (other) {
      if (Number(other.dataset.id) > message.id) {
        after = other;
        return true;
      }
      return false;
    });
    list.insertBefore(item, after);
  }

  var handlers = {
    ack: function (frame) {
      var entry = pending[frame.client_id];
      delete pending[frame.client_id];
      own[frame.message.id] = true;
      if (entry && entry.item.parentNode) entry.item.parentNode.removeChild(entry.item);
      place(frame.message);
      showProblem("");
    },
    message: function (frame) {
      place(frame.message);
    },
    update: function (frame) {
      if (document.getElementById("m" + frame.message.id)) place(frame.message);
    },
    resumed: function (frame) {
      if (frame.more) send({ type: "resume", after: frame.last });
      else sendAgain();
    },
    presence: function (frame) {
      var parts = [];
      if (frame.names.length) parts.push(frame.names.join(", "));
      if (frame.anonymous) parts.push(frame.anonymous + " reader" + (frame.anonymous === 1 ? "" : "s") +
        " not signed in");
      presence.textContent = parts.length ? "In the room now: " + parts.join("; and ") + "." : "";
    },
    room: function (frame) {
      var closed = frame.change === "locked" || frame.change === "ended";
      if (frame.change === "locked") showProblem("A moderator locked this room: no new messages for now.");
      if (frame.change === "ended") showProblem("This event has ended: its conversation is closed.");
      if (frame.change === "unlocked") showProblem("");
      if (frame.change === "muted" || frame.change === "slow_mode") {
        setStatus("The room's settings changed: reload the page to see them.");
      }
      if (form && (closed || frame.change === "unlocked")) {
        Array.prototype.forEach.call(form.elements, function (field) {
          field.disabled = closed;
        });
      }
    },
    error: function (frame) {
      var entry = frame.client_id ? pending[frame.client_id] : null;
      if (entry) {
        delete pending[frame.client_id];
        if (entry.item.parentNode) entry.item.parentNode.removeChild(entry.item);
        if (textarea && !textarea.value) textarea.value = entry.text;
      }
      showProblem(frame.error);
    }
  };

  // --- Sending ---------------------------------------------------------------------------------------

  function optimistic(text) {
    var item = element("li", "chat-message is-pending");
    var meta = element("div", "chat-meta");
    meta.appendChild(element("span", "chat-edited", "sending…"));
    item.appendChild(meta);
    item.appendChild(element("p", "chat-body", text));
    list.appendChild(item);
    return item;
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      if (!live) return; // the plain form post
      event.preventDefault();
      var text = textarea.value;
      if (!text.trim()) return;
      counter += 1;
      var clientId = "c" + Date.now().toString(36) + counter;
      var question = form.querySelector("input[name=is_question]");
      var replyTo = form.querySelector("input[name=reply_to]");
      var frame = {
        type: "send",
        text: text,
        client_id: clientId,
        reply_to: replyTo ? Number(replyTo.value) : null,
        question: !!(question && question.checked)
      };
      pending[clientId] = { item: optimistic(text), text: text, frame: frame };
      send(frame);
      textarea.value = "";
      if (question) question.checked = false;
      if (replyTo) {
        replyTo.parentNode.removeChild(replyTo);
        var note = form.querySelector(".replying");
        if (note) note.parentNode.removeChild(note);
      }
      textarea.focus();
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.altKey || event.metaKey) return;
      if (event.isComposing) return; // an input method is still composing a character
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    });
  }

  if (!gaveUp) connect();
})();
