-- Per outlet: articles, topic relevance, coverage of each topic country and quotes.
CREATE OR REPLACE VIEW outlet_breakdown AS
WITH quote_counts AS (
    SELECT article_id, count(*) AS quotes FROM quotes GROUP BY article_id
)
SELECT
    coalesce(a.outlet, '(unknown)') AS outlet,
    count(*) AS articles,
    count(*) FILTER (WHERE a.on_topic) AS on_topic_articles,
    count(*) FILTER (WHERE a.mentions_kp > 0) AS articles_kp,
    count(*) FILTER (WHERE a.mentions_kr > 0) AS articles_kr,
    count(*) FILTER (WHERE a.mentions_ru > 0) AS articles_ru,
    count(*) FILTER (WHERE a.mentions_ua > 0) AS articles_ua,
    coalesce(sum(qc.quotes), 0) AS quotes,
    round(avg(a.word_count)) AS avg_words,
    min(a.published_at) AS first_published,
    max(a.published_at) AS last_published
FROM articles a
LEFT JOIN quote_counts qc USING (article_id)
GROUP BY ALL;
