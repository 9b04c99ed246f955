-- Question: Which articles mention all of North Korea, Russia and Ukraine, newest first?
SELECT day, outlet, title, mentions_kp, mentions_ru, mentions_ua, quotes, url
FROM articles_kp_ru_ua
ORDER BY day DESC, mentions_kp + mentions_ru + mentions_ua DESC, title
LIMIT 50;
