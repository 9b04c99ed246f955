-- Question: Who are the most quoted speakers, by speaker country?
-- Ranks speakers within their country; unattributed quotes are left out.
SELECT speaker_country, speaker, speaker_type, quotes, direct_quotes, articles
FROM quoted_speakers
QUALIFY row_number() OVER (PARTITION BY speaker_country ORDER BY quotes DESC, speaker) <= 5
ORDER BY speaker_country, quotes DESC, speaker
LIMIT 100;
