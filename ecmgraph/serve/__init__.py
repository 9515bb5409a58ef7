"""``ecmgraph serve``: a read-only SPARQL 1.1 endpoint over the loaded data, with the site ``ecmgraph publish``
makes, served live, and a query page for people (a SPARQL editor and a form per packaged query).

- :mod:`~ecmgraph.serve.server`: the socket, the site built, the workers, uvicorn, the signals;
- :mod:`~ecmgraph.serve.app`: the Starlette application (the protocol, the pages, the files);
- :mod:`~ecmgraph.serve.workers`: forked worker processes, killed at the deadline and replaced;
- :mod:`~ecmgraph.serve.tasks`: what the workers do (queries, packaged queries, name lookups);
- :mod:`~ecmgraph.serve.formats`: SPARQL results and RDF formats, by content negotiation;
- :mod:`~ecmgraph.serve.site`: the published site's files, in memory;
- :mod:`~ecmgraph.serve.forms`: the query page and the packaged queries' forms.
"""

from ecmgraph.serve.server import ServeOptions, bind, serve, warn_if_exposed

__all__ = ["ServeOptions", "bind", "serve", "warn_if_exposed"]
