-- Articles per day that are about both countries of a pair (each pair once, codes in order).
CREATE OR REPLACE VIEW daily_country_pair_coverage AS
SELECT
    a.day,
    a.country AS country_a,
    b.country AS country_b,
    a.country_name || ' + ' || b.country_name AS pair,
    count(DISTINCT a.article_id) AS articles
FROM article_countries a
JOIN article_countries b ON a.article_id = b.article_id AND a.country < b.country
GROUP BY ALL;
