/* Search in an offline copy: the index is a script beside this one (search-index.js sets
   window.districtwikiSearchIndex to [{title, path, text}]), because a page opened from file:// may load
   scripts but not fetch files. Every word of the query must appear in the title or the text; title matches
   rank first. Results are built with DOM nodes, never HTML strings. */
(function () {
  "use strict";
  var MAX_RESULTS = 50;
  var SNIPPET = 160;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(query) {
    return fold(query).split(/\s+/).filter(function (word) { return word.length > 0; });
  }

  function score(entry, terms) {
    // Folded once per page, on the first search of this page view.
    if (entry.folded === undefined) {
      entry.folded = { title: fold(entry.title), text: fold(entry.text) };
    }
    var title = entry.folded.title;
    var text = entry.folded.text;
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var inTitle = title.indexOf(terms[i]) !== -1;
      var inText = text.indexOf(terms[i]) !== -1;
      if (!inTitle && !inText) { return 0; }
      total += (inTitle ? 10 : 0) + (inText ? 1 : 0);
    }
    return total;
  }

  function snippet(entry, terms) {
    var at = entry.folded.text.indexOf(terms[0]);
    var start = Math.max(0, at - SNIPPET / 2);
    var piece = entry.text.slice(start, start + SNIPPET);
    return (start > 0 ? "… " : "") + piece + (start + SNIPPET < entry.text.length ? " …" : "");
  }

  function show(query) {
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var index = window.districtwikiSearchIndex || [];
    var terms = words(query);
    list.textContent = "";
    if (!terms.length) { return; }
    var found = index
      .map(function (entry) { return { entry: entry, score: score(entry, terms) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.entry.title.localeCompare(b.entry.title); });
    status.textContent = found.length === 0
      ? "No page of this copy contains “" + query + "”."
      : found.length + (found.length === 1 ? " page" : " pages") + " found for “" + query + "”.";
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.entry.path.split("/").map(encodeURIComponent).join("/");
      link.textContent = hit.entry.title;
      var text = document.createElement("p");
      text.textContent = snippet(hit.entry, terms);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("site-search-q");
  if (box) { box.value = query; }
  show(query);
})();
