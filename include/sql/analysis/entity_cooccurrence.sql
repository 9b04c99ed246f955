-- Question: Which people, organisations and places are named together most often?
SELECT entity_a, label_a, entity_b, label_b, articles
FROM entity_cooccurrence
ORDER BY articles DESC, entity_a, entity_b
LIMIT 100;
