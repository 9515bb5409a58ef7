"""``python -m ecmgraph`` runs the command line."""

from ecmgraph.cli import main

main()
