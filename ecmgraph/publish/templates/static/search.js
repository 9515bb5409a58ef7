// The site's offline search: matches what is typed against the names in search-index.js (which sets
// window.ECMGRAPH_SEARCH to [label, kind, page] triples) and lists the first matches as links. Nothing is fetched.
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-results");
  var entries = window.ECMGRAPH_SEARCH || [];
  if (!box || !list) { return; }
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }
  var folded = entries.map(function (e) { return fold(e[0]); });
  function show() {
    var words = fold(box.value).split(" ").filter(Boolean);
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!words.length) { return; }
    var found = 0;
    for (var i = 0; i < entries.length && found < 50; i++) {
      var text = folded[i];
      if (words.every(function (w) { return text.indexOf(w) !== -1; })) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = entries[i][2];
        link.textContent = entries[i][0];
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + entries[i][1] + ")"));
        list.appendChild(item);
        found++;
      }
    }
    if (!found) {
      var none = document.createElement("li");
      none.textContent = "Nothing matches.";
      list.appendChild(none);
    }
  }
  box.addEventListener("input", show);
  box.form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { box.value = asked; show(); }
})();
