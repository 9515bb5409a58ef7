"""ecmgraph: who is responsible for children's services in English local government, as a knowledge graph.

The public API (:mod:`ecmgraph.api`, documented in the README's "Python API"): :func:`load`, :func:`validate`,
:func:`query`, :func:`sparql`, :func:`rules`, :func:`packaged_queries`, :func:`push`, :func:`draw_chart` and
:func:`publish_site`. They are imported when first used, so that ``import ecmgraph`` (and every ``ecmgraph`` command)
starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The one place the version is written (pyproject.toml reads it from here): reading it back from the
# installed metadata would cost start-up time on every command.
__version__ = "0.1.0"

__all__ = [
    "Dataset",
    "__version__",
    "draw_chart",
    "load",
    "packaged_queries",
    "publish_site",
    "push",
    "query",
    "rules",
    "sparql",
    "validate",
]

if TYPE_CHECKING:
    from ecmgraph.api import (
        Dataset,
        draw_chart,
        load,
        packaged_queries,
        publish_site,
        push,
        query,
        rules,
        sparql,
        validate,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        from ecmgraph import api

        return getattr(api, name)
    raise AttributeError(f"module 'ecmgraph' has no attribute {name!r}")
