"""Event log -> traces -> measures and findings: what customers actually did against the journey.

`read` finds the log's columns, `sql` holds every query over the `events` relation, `engine`
runs them on DuckDB (imported only here, when a log is read), `measures` holds the results.
"""
