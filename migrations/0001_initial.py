"""The whole first data model: users, audit, documents, claims, evidence, verdicts, ratings."""

DEFAULT_SCALE = [
    # key, label, rating_value, description
    ("true", "True", 5, "The claim is accurate and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, "The claim is accurate but needs clarification or additional information."),
    ("half-true", "Half true", 3, "The claim is partially accurate but leaves out important details or takes things out of context."),
    ("mostly-false", "Mostly false", 2, "The claim contains an element of truth but ignores facts that would give a different impression."),
    ("false", "False", 1, "The claim is not accurate."),
    ("misleading", "Misleading", None, "Accurate facts presented so that they lead to a false conclusion."),
    ("missing-context", "Missing context", None, "The claim omits context a reader needs to judge it."),
    ("unproven", "Unproven", None, "The evidence available neither confirms nor refutes the claim."),
]

DEFAULT_MAPPINGS = [
    ("true", "true"), ("correct", "true"), ("accurate", "true"), ("verdadero", "true"), ("vrai", "true"),
    ("mostly true", "mostly-true"), ("mostly-true", "mostly-true"),
    ("half true", "half-true"), ("half-true", "half-true"), ("mixture", "half-true"),
    ("mostly false", "mostly-false"), ("mostly-false", "mostly-false"), ("barely-true", "mostly-false"),
    ("barely true", "mostly-false"),
    ("false", "false"), ("pants on fire", "false"), ("pants-fire", "false"), ("pants on fire!", "false"),
    ("falso", "false"), ("faux", "false"), ("fake", "false"), ("incorrect", "false"), ("wrong", "false"),
    ("misleading", "misleading"), ("engañoso", "misleading"), ("trompeur", "misleading"),
    ("missing context", "missing-context"), ("lacks context", "missing-context"),
    ("unproven", "unproven"), ("unverified", "unproven"), ("unsupported", "unproven"),
]

SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('checker', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    session_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id INTEGER,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_entity ON events(entity_type, entity_id, id);
CREATE INDEX events_actor ON events(actor_id, id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    url TEXT,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    author TEXT,
    published_at TEXT,
    language TEXT,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL DEFAULT 'paste',
    external_id TEXT,
    ingested_at TEXT NOT NULL,
    ingested_by INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX documents_url ON documents(url) WHERE url IS NOT NULL;
CREATE INDEX documents_source ON documents(source);
CREATE INDEX documents_published ON documents(published_at);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    document_id INTEGER REFERENCES documents(id),
    sentence TEXT NOT NULL DEFAULT '',
    sentence_start INTEGER,
    sentence_end INTEGER,
    text TEXT NOT NULL,
    normalized_text TEXT NOT NULL,
    claimant TEXT,
    claimant_kind TEXT,
    claim_type TEXT,
    quantities TEXT NOT NULL DEFAULT '[]',
    dates TEXT NOT NULL DEFAULT '[]',
    checkworthiness REAL NOT NULL DEFAULT 0,
    boost REAL NOT NULL DEFAULT 0,
    priority REAL NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN
        ('new', 'queued', 'in_progress', 'in_review', 'published', 'dismissed', 'merged')),
    dismiss_reason TEXT,
    assignee_id INTEGER REFERENCES users(id),
    duplicate_of INTEGER REFERENCES claims(id),
    appearance_count INTEGER NOT NULL DEFAULT 1,
    appeared_url TEXT,
    appeared_at TEXT,
    source_date TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX claims_queue ON claims(status, priority DESC, id DESC);
CREATE INDEX claims_queue_date ON claims(status, source_date DESC, id DESC);
CREATE INDEX claims_assignee ON claims(assignee_id, status, priority DESC, id DESC);
CREATE INDEX claims_document ON claims(document_id);
CREATE INDEX claims_normalized ON claims(normalized_text);
CREATE INDEX claims_claimant ON claims(claimant COLLATE NOCASE);
CREATE INDEX claims_duplicate ON claims(duplicate_of);

CREATE TABLE claim_tags (
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (claim_id, tag)
);
CREATE INDEX claim_tags_tag ON claim_tags(tag, claim_id);

CREATE TABLE claim_appearances (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents(id),
    prior_review_id INTEGER REFERENCES prior_reviews(id),
    verdict_id INTEGER REFERENCES verdicts(id),
    url TEXT,
    sentence TEXT,
    sentence_start INTEGER,
    sentence_end INTEGER,
    appeared_at TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX claim_appearances_doc ON claim_appearances(claim_id, document_id)
    WHERE document_id IS NOT NULL;
CREATE INDEX claim_appearances_document ON claim_appearances(document_id);

CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notes_claim ON notes(claim_id, id);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    document_id INTEGER REFERENCES documents(id),
    url TEXT,
    title TEXT NOT NULL DEFAULT '',
    excerpt TEXT NOT NULL DEFAULT '',
    archive_url TEXT,
    stance TEXT NOT NULL DEFAULT 'context' CHECK (stance IN ('supports', 'refutes', 'context')),
    note TEXT NOT NULL DEFAULT '',
    added_by INTEGER REFERENCES users(id),
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    removed_at TEXT,
    removed_by INTEGER REFERENCES users(id)
);
CREATE INDEX evidence_claim ON evidence(claim_id, id);

CREATE TABLE rating_scale (
    key TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    rating_value INTEGER,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE rating_mappings (
    label TEXT PRIMARY KEY COLLATE NOCASE,
    rating_key TEXT NOT NULL REFERENCES rating_scale(key)
);

CREATE TABLE verdicts (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    revision INTEGER NOT NULL,
    rating_key TEXT REFERENCES rating_scale(key),
    conclusion TEXT NOT NULL DEFAULT '',
    claim_reviewed TEXT NOT NULL DEFAULT '',
    explanation TEXT NOT NULL DEFAULT '',
    article_url TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
        ('draft', 'in_review', 'published', 'superseded')),
    author_id INTEGER REFERENCES users(id),
    approver_id INTEGER REFERENCES users(id),
    review_comment TEXT,
    correction_note TEXT,
    slug TEXT UNIQUE,
    submitted_at TEXT,
    approved_at TEXT,
    published_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (claim_id, revision)
);
CREATE INDEX verdicts_status ON verdicts(status, updated_at);

CREATE TABLE prior_reviews (
    id INTEGER PRIMARY KEY,
    claim_reviewed TEXT NOT NULL,
    claimant TEXT,
    rating_label TEXT,
    rating_value REAL,
    best_rating REAL,
    worst_rating REAL,
    rating_key TEXT REFERENCES rating_scale(key),
    publisher TEXT,
    publisher_url TEXT,
    url TEXT NOT NULL,
    headline TEXT,
    review_body TEXT,
    date_published TEXT,
    claim_date TEXT,
    language TEXT,
    raw_json TEXT NOT NULL,
    source_file TEXT,
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (url, claim_reviewed)
);
CREATE INDEX prior_reviews_publisher ON prior_reviews(publisher);

CREATE TABLE index_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('document', 'verdict', 'prior_review')),
    entity_id INTEGER NOT NULL,
    queued_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX index_outbox_pending ON index_outbox(id) WHERE done_at IS NULL;
"""


def up(db):
    for statement in SCHEMA.split(";\n"):
        if statement.strip():
            db.execute(statement)
    for position, (key, label, value, description) in enumerate(DEFAULT_SCALE):
        db.execute(
            "INSERT INTO rating_scale (key, label, rating_value, description, position)"
            " VALUES (?, ?, ?, ?, ?)",
            [key, label, value, description, position],
        )
    for label, key in DEFAULT_MAPPINGS:
        db.execute("INSERT INTO rating_mappings (label, rating_key) VALUES (?, ?)", [label, key])
