-- Question: How many articles a day cover North Korea, South Korea, Russia and Ukraine?
-- Countries come from entity countries and the relevance mention counts (view article_countries).
SELECT day, country, country_name, articles
FROM daily_country_coverage
WHERE country IN ('KP', 'KR', 'RU', 'UA')
ORDER BY day DESC, articles DESC, country
LIMIT 100;
