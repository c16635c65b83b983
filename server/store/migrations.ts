/** Schema versions, applied in order; PRAGMA user_version records how many ran. Never edit one that shipped. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT REFERENCES users(id)
  );
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    challenge_slug TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    candidate_token TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    ended_at TEXT
  );
  CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );
  CREATE INDEX participants_interview ON participants (interview_id);
  CREATE TABLE doc_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_interview ON doc_updates (interview_id, id);
  CREATE TABLE doc_snapshots (
    interview_id TEXT PRIMARY KEY,
    state BLOB NOT NULL,
    upto_id INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL,
    language TEXT NOT NULL,
    mode TEXT NOT NULL,
    info TEXT NOT NULL,
    summary TEXT,
    verdict TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX runs_interview ON runs (interview_id, created_at);
  CREATE TABLE run_events (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
  `,
  // Access state (issue 14 B.2): an interviewer locks the editor or disables candidates' runs, and
  // removes a participant, whose token is refused from then on (the row stays: runs name them).
  `
  ALTER TABLE interviews ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE interviews ADD COLUMN runs_disabled INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE participants ADD COLUMN removed_at TEXT;
  `,
  // Several documents per interview, a timeline with authors, checkpoints for replay to seek,
  // and events. Rows written before this keep loading: they are the `code` document, by an
  // unknown author; the one snapshot each had becomes its first checkpoint.
  `
  ALTER TABLE doc_updates ADD COLUMN doc TEXT NOT NULL DEFAULT 'code';
  ALTER TABLE doc_updates ADD COLUMN author TEXT;
  DROP INDEX doc_updates_interview;
  CREATE INDEX doc_updates_doc ON doc_updates (interview_id, doc, id);
  CREATE TABLE doc_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    at INTEGER NOT NULL,
    upto_id INTEGER NOT NULL,
    state BLOB NOT NULL
  );
  CREATE INDEX doc_checkpoints_doc ON doc_checkpoints (interview_id, doc, at);
  INSERT INTO doc_checkpoints (interview_id, doc, at, upto_id, state)
    SELECT interview_id, 'code', CAST((julianday(updated_at) - 2440587.5) * 86400000 AS INTEGER),
      upto_id, state
    FROM doc_snapshots;
  DROP TABLE doc_snapshots;
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    event TEXT NOT NULL
  );
  CREATE INDEX events_interview ON events (interview_id, id);
  `,
  // Challenge versions (issue 14 B.5): every version of a challenge the server has loaded, by
  // content hash, with the files to parse it again; an interview pins the version it started
  // with. Interviews from before have none: the catalog pins them to the challenge's files as
  // found at the first start after this migration (SQL cannot hash the folder).
  `
  CREATE TABLE challenge_versions (
    slug TEXT NOT NULL,
    version TEXT NOT NULL,
    files TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (slug, version)
  );
  ALTER TABLE interviews ADD COLUMN challenge_version TEXT;
  `,
  // The interview clock (issue 9): a planned length chosen at creation, and when it started (the
  // candidate's first entry). Interviews from before get an hour and no start.
  `
  ALTER TABLE interviews ADD COLUMN planned_minutes INTEGER NOT NULL DEFAULT 60;
  ALTER TABLE interviews ADD COLUMN started_at TEXT;
  `,
  // Webhooks (issue 9.9): endpoints registered for the instance, and one delivery per message
  // per endpoint, kept pending (with when the next attempt is due) so a restart resumes them.
  // The secret is kept as it is: signing needs it (it is an HMAC key, not a password).
  `
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    disabled_reason TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  );
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    last_attempt_at TEXT,
    next_attempt_at TEXT,
    last_status_code INTEGER,
    last_error TEXT,
    response_excerpt TEXT
  );
  CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
  `,
  // Scorecards (issue 9.5): one card per interviewer account and interview, kept as JSON (the
  // protocol's Scorecard); `status` is a column too, so a submitted card is refused in SQL.
  `
  CREATE TABLE scorecards (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL,
    card TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (interview_id, user_id)
  );
  `,
  // Replay runs (issue 9.6): a run of the code as it stood at a moment, the interviewers' own.
  // The column says which runs they are, so the room's run history can leave them out.
  `
  ALTER TABLE runs ADD COLUMN replay_at INTEGER;
  `,
]
