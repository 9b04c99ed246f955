-- Question: Per run, how many articles loaded or were quarantined, and which checks failed?
SELECT
    r.run_id,
    r.finished_at,
    r.articles_staged,
    r.articles_new,
    r.articles_changed,
    (SELECT count(*) FROM rejected_articles x WHERE x.run_id = r.run_id) AS new_rejects,
    (SELECT count(*) FROM validation_results v WHERE v.run_id = r.run_id) AS expectations_checked,
    (SELECT string_agg(v.expectation, ', ' ORDER BY v.expectation)
     FROM validation_results v WHERE v.run_id = r.run_id AND NOT v.success) AS failed_expectations
FROM pipeline_runs r
ORDER BY r.finished_at DESC
LIMIT 20;
