// ecmgraph serve's packaged-query forms: names suggested as one types in the fields that name a thing (an
// authority, a post, a person, a topic…), looked up on this server as 'ecmgraph lookup' does.
(function () {
  "use strict";
  var form = document.querySelector("form.packaged");
  if (!form) {
    return;
  }
  var lookupUrl = new URL(form.getAttribute("data-lookup-url"), document.baseURI);

  function show(input, list, names) {
    list.textContent = "";
    names.forEach(function (name) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "suggestion";
      button.setAttribute("data-value", name.label);
      var label = document.createElement("span");
      label.className = "label";
      label.textContent = name.label;
      button.appendChild(label);
      var what = [name.kind, name.authority].filter(Boolean).join(", ");
      if (what) {
        var note = document.createElement("span");
        note.className = "note";
        note.textContent = " (" + what + ")";
        button.appendChild(note);
      }
      button.addEventListener("click", function () {
        input.value = name.label;
        list.textContent = "";
        input.focus();
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  Array.prototype.forEach.call(form.querySelectorAll("input[data-lookup]"), function (input) {
    var list = document.getElementById(input.id + "-suggestions");
    var timer = null;
    var asked = 0;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) {
        list.textContent = "";
        return;
      }
      timer = window.setTimeout(function () {
        var url = new URL(lookupUrl.href);
        url.searchParams.set("q", text);
        url.searchParams.set("kind", input.getAttribute("data-lookup"));
        var mine = ++asked;
        fetch(url.href, { headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { names: [] };
          })
          .then(function (answer) {
            if (mine === asked) {
              show(input, list, answer.names || []);
            }
          })
          .catch(function () {
            list.textContent = "";
          });
      }, 150);
    });
  });
})();
