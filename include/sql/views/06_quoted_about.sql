-- Who is quoted about whom: each speaker paired with the people, organisations and places
-- named inside their quotes.
CREATE OR REPLACE VIEW quoted_about AS
SELECT
    q.speaker,
    coalesce(q.speaker_country, '(unknown)') AS speaker_country,
    e.canonical AS subject,
    e.label AS subject_label,
    coalesce(e.country, '(unknown)') AS subject_country,
    count(DISTINCT q.article_id || ':' || q.start_char) AS quotes,
    count(DISTINCT q.article_id) AS articles
FROM quotes q
JOIN entities e
    ON e.article_id = q.article_id
    AND e.start_char >= q.start_char
    AND e.end_char <= q.end_char
WHERE q.speaker IS NOT NULL
    AND e.label IN ('PERSON', 'ORG', 'GPE', 'NORP', 'LOC', 'FAC')
    AND e.canonical <> q.speaker
GROUP BY ALL;
