"""ecmgraph: who is responsible for children's services in English local government, as a knowledge graph."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ecmgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
