"""``python -m ecmgraph.queries > queries/README.md``: the queries' README, generated from their headers."""

from ecmgraph.queries.docs import main

raise SystemExit(main())
