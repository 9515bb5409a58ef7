// The SPARQL editor of ecmgraph serve's query page: YASGUI (yasgui.min.js, beside this file) on this server's
// endpoint only. The autocompleters that would ask other servers for terms (LOV) are left out: nothing leaves.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  if (!element || typeof Yasgui === "undefined") {
    return;
  }
  var endpoint = new URL(element.getAttribute("data-endpoint"), document.baseURI).href;
  var example = document.getElementById("sparql-text");
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.defaults.requestConfig.endpoint = endpoint;
  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
      keys: [],
    },
    yasqe: { value: example ? example.value : "" },
    persistenceId: null,
  });
  // The results link each IRI to itself; the data's own things (under data-ids) are linked to this server's
  // page of them instead (its /id/ path, which answers with the page), so that a click stays on this server.
  var ids = element.getAttribute("data-ids");
  var local = new URL(element.getAttribute("data-local-ids"), document.baseURI).href;
  function localise(root) {
    var links = root.querySelectorAll ? root.querySelectorAll("a[href]") : [];
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (ids && href.indexOf(ids) === 0 && href.length > ids.length) {
        links[i].setAttribute("href", local + href.slice(ids.length));
        links[i].setAttribute("title", href);
      }
    }
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) {
          localise(node.parentNode || node);
        }
      });
    });
  }).observe(element, { childList: true, subtree: true });
  // The plain form is for browsers without the editor.
  var form = document.querySelector("form.sparql");
  if (form) {
    form.hidden = true;
  }
  window.ecmgraphYasgui = yasgui;
})();
