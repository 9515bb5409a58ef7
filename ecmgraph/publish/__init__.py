"""Publishing linked open data: ``ecmgraph publish`` writes a static site that people browse and machines read.

- :mod:`~ecmgraph.publish.site`: the SHACL gate, the build and the swap into place (:func:`publish`);
- :mod:`~ecmgraph.publish.model`: the things with pages, their statements and sources, read from the data;
- :mod:`~ecmgraph.publish.pages` and ``templates/``: the HTML pages (Jinja2), one stylesheet, the search;
- :mod:`~ecmgraph.publish.rdfdocs`: each thing's Turtle, N-Triples and JSON-LD, deterministic blank nodes;
- :mod:`~ecmgraph.publish.machine`: dumps, checksums, VoID, DCAT 3 and the sitemap;
- :mod:`~ecmgraph.publish.routes`: the route table and the Apache, nginx and w3id rules made from it;
- :mod:`~ecmgraph.publish.charts`: the accountability charts of :mod:`ecmgraph.diagram` on authority pages;
- :mod:`~ecmgraph.publish.metadata`: the one metadata block (title, licences, attribution).

::

    data = ecmgraph.load()
    site = publish(data, "site", base_url="https://example.org/ecm/", as_of=datetime.date(2009, 6, 1))
"""

from ecmgraph.errors import BreachesFound
from ecmgraph.publish.metadata import DEFAULT_METADATA, Licence, SiteMetadata
from ecmgraph.publish.site import MARKER, PublishedSite, check_base_url, publish

__all__ = [
    "DEFAULT_METADATA",
    "MARKER",
    "BreachesFound",
    "Licence",
    "PublishedSite",
    "SiteMetadata",
    "check_base_url",
    "publish",
]
