// The browser's time zone, for the server to show and read event times in when the member's profile names
// none: it fills every hidden `browser_zone` field, and a time zone field that is marked to follow it.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll('input[name="browser_zone"]').forEach(function (field) {
    field.value = zone;
  });
  document.querySelectorAll("input[data-browser-zone]").forEach(function (field) {
    if (!field.dataset.chosen) field.value = zone;
  });
})();
