// The durable local console: refreshes the live part of a page while its
// execution runs, and asks before a destructive action. No dependencies.
"use strict";

(function () {
  var refreshMs = 1000;

  // editing reports whether the user is typing into a form of the live part
  // (a refresh would throw the text away).
  function editing(live) {
    var a = document.activeElement;
    if (a && a.form && live.contains(a)) {
      return true;
    }
    var fields = live.querySelectorAll("input:not([type=hidden]), textarea");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].value !== fields[i].defaultValue) {
        return true;
      }
    }
    return false;
  }

  // openDetails returns the data-id of every open <details>, so that a
  // refresh keeps what the user expanded.
  function openDetails(root) {
    var ids = [];
    root.querySelectorAll("details[open][data-id]").forEach(function (d) { ids.push(d.getAttribute("data-id")); });
    return ids;
  }

  function refresh() {
    var live = document.getElementById("live");
    if (!live || !live.hasAttribute("data-refresh")) {
      return;
    }
    if (editing(live)) {
      setTimeout(refresh, refreshMs);
      return;
    }
    fetch(location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        var current = document.getElementById("live");
        if (html === null || !current || editing(current)) {
          return;
        }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        if (!fresh) {
          return;
        }
        var open = openDetails(current);
        fresh.querySelectorAll("details[data-id]").forEach(function (d) {
          if (open.indexOf(d.getAttribute("data-id")) >= 0) {
            d.open = true;
          }
        });
        current.replaceWith(document.adoptNode(fresh));
      })
      .catch(function () {})
      .finally(function () { setTimeout(refresh, refreshMs); });
  }

  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });

  setTimeout(refresh, refreshMs);
})();
