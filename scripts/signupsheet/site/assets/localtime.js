// Shows every <time data-ss> of the page in the reader's own time zone, keeping the UTC text
// beside it. Without this script (or without Intl) the UTC text stays as it is.
(function () {
  "use strict";

  // dateStyle/timeStyle cannot be combined with timeZoneName (Intl throws a TypeError), so every
  // format names its fields one by one.
  var FULL = { weekday: "long", year: "numeric", month: "long", day: "numeric",
               hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  var DATE = { year: "numeric", month: "short", day: "numeric",
               hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  var CLOCK = { hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
  var DAY = { year: "numeric", month: "2-digit", day: "2-digit" };

  function formatter(options, zone) {
    var copy = {};
    for (var key in options) { copy[key] = options[key]; }
    copy.timeZone = zone;
    return new Intl.DateTimeFormat(undefined, copy);
  }

  function localize() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === "UTC" || zone === "Etc/UTC") { return; }
    var formats = { full: formatter(FULL, zone), date: formatter(DATE, zone),
                    end: formatter(CLOCK, zone), day: formatter(DAY, zone) };
    var times = document.querySelectorAll("time[data-ss]:not([data-ss-local])");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var moment = new Date(el.getAttribute("datetime"));
      if (isNaN(moment.getTime())) { continue; }
      var style = el.getAttribute("data-ss");
      var format = formats[style] || formats.full;
      if (style === "end") {
        // The end keeps its date when, for this reader, it falls on another day than the start.
        var start = new Date(el.getAttribute("data-ss-start"));
        if (formats.day.format(start) !== formats.day.format(moment)) { format = formats.full; }
      }
      var utc = el.textContent;
      el.setAttribute("data-ss-local", zone);
      el.setAttribute("title", utc);
      el.textContent = "";
      var local = document.createElement("span");
      local.className = "ss-local";
      local.textContent = format.format(moment) + (style === "full" ? " (" + zone + ")" : "");
      var original = document.createElement("span");
      original.className = "ss-utc";
      original.textContent = " [" + utc + "]";
      el.appendChild(local);
      el.appendChild(original);
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(localize);  // Material's instant navigation
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localize);
  } else {
    localize();
  }
})();
