"""ecmgraph's own fuzzer: mutations of the packaged data, the test fixtures and the packaged queries, fed to the
command line in worker processes, each outcome judged against the promise that no input gives a traceback, a
signal death, an exit code outside the README's table, more than one ``Error:`` line, a network connection or a
changed file other than the ``-o`` asked for.

``python -m tests.fuzz --minutes N [--seed S] [--jobs J]`` runs it at length; tests/test_fuzz.py runs it briefly.
CONTRIBUTING.md says more.
"""
