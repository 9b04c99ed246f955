"""newsflow: ingest news, find entities and quotes, validate, load into DuckDB.

The package never imports Airflow: every stage runs as plain Python, from the CLI and in tests.
"""

__version__ = "0.1.0"
