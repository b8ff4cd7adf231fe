// Material's search overlay has role="dialog" but no accessible name; screen readers announce
// an unnamed dialog (axe: aria-dialog-name).
(function () {
  "use strict";
  var dialogs = document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])');
  for (var i = 0; i < dialogs.length; i++) { dialogs[i].setAttribute("aria-label", "Search"); }
})();
