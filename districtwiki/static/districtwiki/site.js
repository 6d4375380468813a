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
