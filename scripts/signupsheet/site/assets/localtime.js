// Shows every <time data-ss> of the page in the reader's own time zone, keeping the UTC text
// beside it (in a heading: in its title, and the heading's entry in the table of contents says
// the same). Without this script (or without Intl) the UTC text stays as it is.
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
    // English like the sentences around the times, whatever the browser's language.
    copy.hourCycle = "h23";
    return new Intl.DateTimeFormat("en-GB", copy);
  }

  // The heading's entries in the table of contents (sidebar and drawer), built from the UTC text
  // at build time, say what the heading now says. Their links (the heading's id) stay as built.
  function localizeTocEntry(heading) {
    if (!heading || !heading.id) { return; }
    var copy = heading.cloneNode(true);
    var permalinks = copy.querySelectorAll(".headerlink");
    for (var i = 0; i < permalinks.length; i++) { permalinks[i].remove(); }
    var text = copy.textContent.trim();
    var links = document.querySelectorAll("a.md-nav__link");
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("href") !== "#" + heading.id) { continue; }
      var label = links[j].querySelector(".md-ellipsis") || links[j];
      label.textContent = text;
    }
  }

  function localize() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === "UTC" || zone === "Etc/UTC") { return; }
    var formats = { full: formatter(FULL, zone), date: formatter(DATE, zone),
                    end: formatter(CLOCK, zone), day: formatter(DAY, zone),
                    heading: formatter(DATE, zone) };
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
      if (style === "heading") {
        el.textContent = format.format(moment);
        localizeTocEntry(el.closest("h1, h2, h3, h4, h5, h6"));
        continue;
      }
      el.textContent = "";
      var local = document.createElement("span");
      local.className = "ss-local";
      // The clock, its zone and the zone's name stay on one line (ss-nowrap).
      var parts = format.formatToParts(moment);
      var clockAt = 0;
      while (clockAt < parts.length && parts[clockAt].type !== "hour") { clockAt++; }
      var day = "";
      var clock = "";
      for (var p = 0; p < parts.length; p++) {
        if (p < clockAt) { day += parts[p].value; } else { clock += parts[p].value; }
      }
      local.textContent = day;
      var kept = document.createElement("span");
      kept.className = "ss-nowrap";
      kept.textContent = clock + (style === "full" ? " (" + zone + ")" : "");
      local.appendChild(kept);
      var original = document.createElement("span");
      original.className = "ss-utc";
      // The UTC text may wrap between its words, but not between its clock and "UTC".
      var comma = utc.lastIndexOf(", ");
      var utcClock = document.createElement("span");
      utcClock.className = "ss-nowrap";
      utcClock.textContent = utc.slice(comma < 0 ? 0 : comma + 2) + "]";
      original.textContent = " [" + (comma < 0 ? "" : utc.slice(0, comma + 2));
      original.appendChild(utcClock);
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
