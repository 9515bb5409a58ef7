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
  // The plain form is for browsers without the editor.
  var form = document.querySelector("form.sparql");
  if (form) {
    form.hidden = true;
  }
  window.ecmgraphYasgui = yasgui;
})();
