-- Articles about all three of North Korea, Russia and Ukraine.
CREATE OR REPLACE VIEW articles_kp_ru_ua AS
SELECT
    a.article_id,
    timezone('UTC', coalesce(a.published_at, a.fetched_at, a.loaded_at))::DATE AS day,
    a.outlet,
    a.title,
    a.url,
    a.mentions_kp,
    a.mentions_ru,
    a.mentions_ua,
    a.relevance_score,
    (SELECT count(*) FROM quotes q WHERE q.article_id = a.article_id) AS quotes
FROM articles a
WHERE a.article_id IN (
    SELECT article_id FROM article_countries
    WHERE country IN ('KP', 'RU', 'UA')
    GROUP BY article_id
    HAVING count(DISTINCT country) = 3
);
