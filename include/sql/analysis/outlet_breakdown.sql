-- Question: How does each outlet cover the topic: articles, relevance, countries and quotes?
SELECT outlet, articles, on_topic_articles, articles_kp, articles_kr, articles_ru, articles_ua,
       quotes, avg_words, first_published, last_published
FROM outlet_breakdown
ORDER BY articles DESC, outlet;
