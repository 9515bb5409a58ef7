"""ecmgraph: who is responsible for children's services in English local government, as a knowledge graph."""

# The one place the version is written (pyproject.toml reads it from here): reading it back from the
# installed metadata would cost start-up time on every command.
__version__ = "0.1.0"

__all__ = ["__version__"]
