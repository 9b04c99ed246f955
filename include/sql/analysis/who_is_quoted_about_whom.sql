-- Question: Who is quoted about whom (which speakers talk about which people, groups and places)?
SELECT speaker, speaker_country, subject, subject_label, subject_country, quotes, articles
FROM quoted_about
ORDER BY quotes DESC, articles DESC, speaker, subject
LIMIT 100;
