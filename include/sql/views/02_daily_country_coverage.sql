-- Articles per day and country.
CREATE OR REPLACE VIEW daily_country_coverage AS
SELECT day, country, country_name, count(DISTINCT article_id) AS articles
FROM article_countries
GROUP BY ALL;
