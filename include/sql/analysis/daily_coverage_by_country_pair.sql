-- Question: Which pairs of topic countries are covered together, day by day?
SELECT day, pair, articles
FROM daily_country_pair_coverage
WHERE country_a IN ('KP', 'KR', 'RU', 'UA') AND country_b IN ('KP', 'KR', 'RU', 'UA')
ORDER BY day DESC, articles DESC, pair
LIMIT 100;
