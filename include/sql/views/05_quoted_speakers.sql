-- Attributed quotes per speaker, with the speaker's country.
CREATE OR REPLACE VIEW quoted_speakers AS
SELECT
    coalesce(q.speaker_country, '(unknown)') AS speaker_country,
    q.speaker,
    any_value(q.speaker_type) AS speaker_type,
    count(*) AS quotes,
    count(*) FILTER (WHERE q.type = 'direct') AS direct_quotes,
    count(DISTINCT q.article_id) AS articles,
    count(DISTINCT a.outlet) AS outlets
FROM quotes q
JOIN articles a USING (article_id)
WHERE q.speaker IS NOT NULL
GROUP BY ALL;
