-- Which countries each article is about, with the day it counts for: countries of its entities
-- (gazetteer, ISO 3166-1 alpha-2) plus the topic countries its relevance counted mentions of.
CREATE OR REPLACE VIEW article_countries AS
WITH found AS (
    SELECT article_id, country FROM entities WHERE country IS NOT NULL
    UNION ALL SELECT article_id, 'KP' FROM articles WHERE mentions_kp > 0
    UNION ALL SELECT article_id, 'KR' FROM articles WHERE mentions_kr > 0
    UNION ALL SELECT article_id, 'RU' FROM articles WHERE mentions_ru > 0
    UNION ALL SELECT article_id, 'UA' FROM articles WHERE mentions_ua > 0
)
SELECT DISTINCT
    f.article_id,
    f.country,
    CASE f.country
        WHEN 'KP' THEN 'North Korea' WHEN 'KR' THEN 'South Korea'
        WHEN 'RU' THEN 'Russia' WHEN 'UA' THEN 'Ukraine' ELSE f.country
    END AS country_name,
    -- The publication day in UTC; fetch day when the page gave no date.
    timezone('UTC', coalesce(a.published_at, a.fetched_at, a.loaded_at))::DATE AS day,
    a.outlet
FROM found f
JOIN articles a USING (article_id);
