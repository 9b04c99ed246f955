-- Question: What did the latest pipeline run load, and what did it quarantine?
-- One row: the newest run in pipeline_runs with its counts (what `make demo` reports).
SELECT
    run_id,
    status,
    articles_staged,
    articles_new,
    articles_changed,
    entities_loaded,
    quotes_loaded,
    rejects
FROM pipeline_runs
ORDER BY finished_at DESC
LIMIT 1;
