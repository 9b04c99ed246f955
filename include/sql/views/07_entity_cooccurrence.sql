-- Pairs of named entities (people, organisations, places, groups) found in the same article.
CREATE OR REPLACE VIEW entity_cooccurrence AS
WITH mentioned AS (
    SELECT article_id, canonical, mode(label) AS label, any_value(country) AS country
    FROM entities
    WHERE label IN ('PERSON', 'ORG', 'GPE', 'NORP', 'LOC', 'FAC', 'EVENT')
    GROUP BY article_id, canonical
)
SELECT
    a.canonical AS entity_a,
    a.label AS label_a,
    b.canonical AS entity_b,
    b.label AS label_b,
    count(*) AS articles
FROM mentioned a
JOIN mentioned b ON a.article_id = b.article_id AND a.canonical < b.canonical
GROUP BY ALL;
