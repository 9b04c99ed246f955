-- 0001: the core tables. Applied once by newsflow.warehouse.migrate; never edit an applied
-- migration, add a new numbered file instead.

CREATE TABLE articles (
    article_id       VARCHAR PRIMARY KEY,
    url              VARCHAR NOT NULL,
    canonical_url    VARCHAR NOT NULL,
    source           VARCHAR NOT NULL,
    outlet           VARCHAR,
    domain           VARCHAR,
    title            VARCHAR,
    authors          VARCHAR[],
    published_at     TIMESTAMPTZ,
    language         VARCHAR,
    text             VARCHAR NOT NULL,
    captions         VARCHAR[],
    top_image        VARCHAR,
    word_count       INTEGER,
    provenance       VARCHAR,
    content_hash     VARCHAR,
    duplicate_of     VARCHAR,
    fetched_at       TIMESTAMPTZ,
    relevance_score  DOUBLE,
    on_topic         BOOLEAN,
    mentions         MAP(VARCHAR, INTEGER),
    mentions_kp      INTEGER,
    mentions_kr      INTEGER,
    mentions_ru      INTEGER,
    mentions_ua      INTEGER,
    model            VARCHAR,
    model_version    VARCHAR,
    enriched_at      TIMESTAMPTZ,
    fingerprint      VARCHAR NOT NULL,
    first_seen_run   VARCHAR NOT NULL,
    last_changed_run VARCHAR NOT NULL,
    loaded_at        TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE articles IS 'One row per article, keyed by the id derived from its canonical URL.';
COMMENT ON COLUMN articles.article_id IS 'Stable id: first 16 hex digits of SHA-256 of the canonical URL.';
COMMENT ON COLUMN articles.url IS 'URL the article was discovered under (or file:// path for local files).';
COMMENT ON COLUMN articles.canonical_url IS 'Canonical URL (rel=canonical or normalised URL); the identity of the article.';
COMMENT ON COLUMN articles.source IS 'Source the run read (feed, sitemap, folder, seed file).';
COMMENT ON COLUMN articles.outlet IS 'Publishing outlet, e.g. The Korea Times.';
COMMENT ON COLUMN articles.domain IS 'Registered domain of the canonical URL.';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.authors IS 'Author names as listed by the page.';
COMMENT ON COLUMN articles.published_at IS 'Publication time (UTC); NULL when the page gives none.';
COMMENT ON COLUMN articles.language IS 'ISO 639-1 language code of the text.';
COMMENT ON COLUMN articles.text IS 'Clean article body; entity and quote offsets index this string (characters, not bytes).';
COMMENT ON COLUMN articles.captions IS 'Image captions removed from the body.';
COMMENT ON COLUMN articles.top_image IS 'URL of the lead image.';
COMMENT ON COLUMN articles.word_count IS 'Words in text.';
COMMENT ON COLUMN articles.provenance IS 'How the text was obtained (extractor and fallbacks).';
COMMENT ON COLUMN articles.content_hash IS 'Hash of the normalised text, used to spot duplicates.';
COMMENT ON COLUMN articles.duplicate_of IS 'article_id of an earlier article with the same text, if any.';
COMMENT ON COLUMN articles.fetched_at IS 'When the page was fetched (UTC).';
COMMENT ON COLUMN articles.relevance_score IS 'Topic relevance score (Korea, Russia, Ukraine), 0 to 1.';
COMMENT ON COLUMN articles.on_topic IS 'Whether the article passes the topic relevance threshold.';
COMMENT ON COLUMN articles.mentions IS 'Topic country code (ISO 3166-1 alpha-2) to number of mentions.';
COMMENT ON COLUMN articles.mentions_kp IS 'Mentions of North Korea (from mentions).';
COMMENT ON COLUMN articles.mentions_kr IS 'Mentions of South Korea (from mentions).';
COMMENT ON COLUMN articles.mentions_ru IS 'Mentions of Russia (from mentions).';
COMMENT ON COLUMN articles.mentions_ua IS 'Mentions of Ukraine (from mentions).';
COMMENT ON COLUMN articles.model IS 'spaCy pipeline used for enrichment.';
COMMENT ON COLUMN articles.model_version IS 'Version of that pipeline.';
COMMENT ON COLUMN articles.enriched_at IS 'When the stored enrichment was computed (UTC).';
COMMENT ON COLUMN articles.fingerprint IS 'SHA-256 of the stored content without clocks; a changed fingerprint replaces the row and its children.';
COMMENT ON COLUMN articles.first_seen_run IS 'Run that first loaded the article.';
COMMENT ON COLUMN articles.last_changed_run IS 'Last run that changed the article (a rerun with identical content changes nothing).';
COMMENT ON COLUMN articles.loaded_at IS 'When that change was loaded (UTC).';

CREATE TABLE entities (
    article_id VARCHAR NOT NULL,
    start_char INTEGER NOT NULL,
    end_char   INTEGER NOT NULL,
    label      VARCHAR NOT NULL,
    text       VARCHAR NOT NULL,
    canonical  VARCHAR NOT NULL,
    country    VARCHAR,
    role       VARCHAR,
    PRIMARY KEY (article_id, start_char, end_char, label)
);

COMMENT ON TABLE entities IS 'Named-entity mentions; replaced as a whole when their article is re-enriched.';
COMMENT ON COLUMN entities.article_id IS 'Article the mention is in (articles.article_id).';
COMMENT ON COLUMN entities.start_char IS 'Offset of the first character in articles.text.';
COMMENT ON COLUMN entities.end_char IS 'Offset one past the last character (Python slice end).';
COMMENT ON COLUMN entities.label IS 'spaCy entity label (PERSON, ORG, GPE, ...).';
COMMENT ON COLUMN entities.text IS 'Surface form, equal to articles.text[start_char:end_char].';
COMMENT ON COLUMN entities.canonical IS 'Canonical name after gazetteer lookup and coreference of short forms.';
COMMENT ON COLUMN entities.country IS 'ISO 3166-1 alpha-2 country the entity is or belongs to, when known.';
COMMENT ON COLUMN entities.role IS 'Role from the gazetteer (country, leader, ministry, ...).';

CREATE TABLE quotes (
    article_id      VARCHAR NOT NULL,
    start_char      INTEGER NOT NULL,
    end_char        INTEGER NOT NULL,
    text            VARCHAR NOT NULL,
    type            VARCHAR NOT NULL,
    cue             VARCHAR,
    speaker         VARCHAR,
    speaker_text    VARCHAR,
    speaker_start   INTEGER,
    speaker_end     INTEGER,
    speaker_type    VARCHAR,
    speaker_country VARCHAR,
    confidence      DOUBLE,
    PRIMARY KEY (article_id, start_char, end_char)
);

COMMENT ON TABLE quotes IS 'Quotations with their speakers; replaced as a whole when their article is re-enriched.';
COMMENT ON COLUMN quotes.article_id IS 'Article the quote is in (articles.article_id).';
COMMENT ON COLUMN quotes.start_char IS 'Offset of the quote in articles.text.';
COMMENT ON COLUMN quotes.end_char IS 'Offset one past its end.';
COMMENT ON COLUMN quotes.text IS 'Quoted text, equal to articles.text[start_char:end_char].';
COMMENT ON COLUMN quotes.type IS 'direct, mixed or indirect.';
COMMENT ON COLUMN quotes.cue IS 'Reporting verb or phrase (said, told, according to).';
COMMENT ON COLUMN quotes.speaker IS 'Canonical speaker name; NULL when unattributed.';
COMMENT ON COLUMN quotes.speaker_text IS 'Speaker as written in the text.';
COMMENT ON COLUMN quotes.speaker_start IS 'Offset of speaker_text in articles.text.';
COMMENT ON COLUMN quotes.speaker_end IS 'Offset one past the end of speaker_text.';
COMMENT ON COLUMN quotes.speaker_type IS 'person, organisation, anonymous or unknown.';
COMMENT ON COLUMN quotes.speaker_country IS 'ISO 3166-1 alpha-2 country of the speaker, when known.';
COMMENT ON COLUMN quotes.confidence IS 'Attribution confidence, 0 to 1.';

CREATE TABLE rejected_articles (
    reject_id   VARCHAR PRIMARY KEY,
    stage       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    url         VARCHAR,
    article_id  VARCHAR,
    expectation VARCHAR,
    detail      VARCHAR,
    raw         VARCHAR,
    rejected_at TIMESTAMPTZ NOT NULL,
    run_id      VARCHAR NOT NULL
);

COMMENT ON TABLE rejected_articles IS 'Quarantine: records that did not make it, with the raw record so they can be replayed.';
COMMENT ON COLUMN rejected_articles.reject_id IS 'Hash of (stage, reason, article_id or url, expectation): a rerun does not add the same rejection twice.';
COMMENT ON COLUMN rejected_articles.stage IS 'Stage that rejected it: discover, fetch, extract, enrich, validate or load.';
COMMENT ON COLUMN rejected_articles.reason IS 'Short machine-readable reason, e.g. empty_text, duplicate_url, offsets_out_of_range.';
COMMENT ON COLUMN rejected_articles.url IS 'URL of the rejected record.';
COMMENT ON COLUMN rejected_articles.article_id IS 'Article id, when the record got that far.';
COMMENT ON COLUMN rejected_articles.expectation IS 'Great Expectations expectation that failed (stage validate).';
COMMENT ON COLUMN rejected_articles.detail IS 'Human-readable detail: the offending values.';
COMMENT ON COLUMN rejected_articles.raw IS 'JSON of the record as rejected (for validate: the article with its entities and quotes).';
COMMENT ON COLUMN rejected_articles.rejected_at IS 'When it was first rejected (UTC).';
COMMENT ON COLUMN rejected_articles.run_id IS 'Run that first rejected it.';

CREATE TABLE validation_results (
    run_id             VARCHAR NOT NULL,
    suite              VARCHAR NOT NULL,
    expectation        VARCHAR NOT NULL,
    expectation_type   VARCHAR NOT NULL,
    column_name        VARCHAR,
    on_failure         VARCHAR NOT NULL,
    success            BOOLEAN NOT NULL,
    element_count      BIGINT,
    unexpected_count   BIGINT,
    unexpected_percent DOUBLE,
    detail             VARCHAR,
    validated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, suite, expectation)
);

COMMENT ON TABLE validation_results IS 'Every Great Expectations result of every run (one row per run and expectation).';
COMMENT ON COLUMN validation_results.run_id IS 'Pipeline run.';
COMMENT ON COLUMN validation_results.suite IS 'Expectation suite (articles, entities, quotes) or batch for the gates computed over the whole run.';
COMMENT ON COLUMN validation_results.expectation IS 'Name of the expectation within the suite (meta.name).';
COMMENT ON COLUMN validation_results.expectation_type IS 'GX expectation type, e.g. expect_column_values_to_be_unique.';
COMMENT ON COLUMN validation_results.column_name IS 'Column(s) checked.';
COMMENT ON COLUMN validation_results.on_failure IS 'quarantine (offending articles rejected), fail_batch (the validate task fails) or warn.';
COMMENT ON COLUMN validation_results.success IS 'Whether the expectation held.';
COMMENT ON COLUMN validation_results.element_count IS 'Rows checked.';
COMMENT ON COLUMN validation_results.unexpected_count IS 'Rows that broke it.';
COMMENT ON COLUMN validation_results.unexpected_percent IS 'Share of rows that broke it, in percent.';
COMMENT ON COLUMN validation_results.detail IS 'Observed value or a sample of unexpected values (JSON).';
COMMENT ON COLUMN validation_results.validated_at IS 'When the validation ran (UTC).';

CREATE TABLE fetch_log (
    run_id       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    status       INTEGER,
    error        VARCHAR,
    attempts     INTEGER,
    elapsed_s    DOUBLE,
    fetched_at   TIMESTAMPTZ,
    not_modified BOOLEAN,
    PRIMARY KEY (run_id, url)
);

COMMENT ON TABLE fetch_log IS 'One row per URL fetched in a run: HTTP status, error, retries and time.';
COMMENT ON COLUMN fetch_log.run_id IS 'Pipeline run.';
COMMENT ON COLUMN fetch_log.url IS 'URL requested.';
COMMENT ON COLUMN fetch_log.status IS 'Final HTTP status, NULL when no response.';
COMMENT ON COLUMN fetch_log.error IS 'Error of the last attempt, NULL on success.';
COMMENT ON COLUMN fetch_log.attempts IS 'Attempts made (retries + 1).';
COMMENT ON COLUMN fetch_log.elapsed_s IS 'Seconds spent on all attempts.';
COMMENT ON COLUMN fetch_log.fetched_at IS 'When the last attempt finished (UTC).';
COMMENT ON COLUMN fetch_log.not_modified IS 'True when the server answered 304 to a conditional request.';

CREATE TABLE pipeline_runs (
    run_id           VARCHAR PRIMARY KEY,
    source           VARCHAR,
    started_at       TIMESTAMPTZ,
    finished_at      TIMESTAMPTZ NOT NULL,
    status           VARCHAR NOT NULL,
    articles_staged  INTEGER NOT NULL,
    articles_new     INTEGER NOT NULL,
    articles_changed INTEGER NOT NULL,
    entities_loaded  INTEGER NOT NULL,
    quotes_loaded    INTEGER NOT NULL,
    rejects          INTEGER NOT NULL,
    fetch_log_rows   INTEGER NOT NULL
);

COMMENT ON TABLE pipeline_runs IS 'One row per pipeline run that reached the load (a rerun of a run updates its row).';
COMMENT ON COLUMN pipeline_runs.run_id IS 'Airflow run id or manual__<timestamp>.';
COMMENT ON COLUMN pipeline_runs.source IS 'Source the run read.';
COMMENT ON COLUMN pipeline_runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN pipeline_runs.finished_at IS 'When its load committed (UTC).';
COMMENT ON COLUMN pipeline_runs.status IS 'success once the load has committed.';
COMMENT ON COLUMN pipeline_runs.articles_staged IS 'Validated articles the run offered to the load.';
COMMENT ON COLUMN pipeline_runs.articles_new IS 'Articles inserted for the first time.';
COMMENT ON COLUMN pipeline_runs.articles_changed IS 'Existing articles whose content changed (row updated, children replaced).';
COMMENT ON COLUMN pipeline_runs.entities_loaded IS 'Entity rows written for new or changed articles.';
COMMENT ON COLUMN pipeline_runs.quotes_loaded IS 'Quote rows written for new or changed articles.';
COMMENT ON COLUMN pipeline_runs.rejects IS 'Rejects the run reported, all stages (before de-duplication).';
COMMENT ON COLUMN pipeline_runs.fetch_log_rows IS 'Fetch log rows the run reported.';
