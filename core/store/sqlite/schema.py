"""Versioned schema migrations, tracked with PRAGMA user_version.

Each entry upgrades the file from version N-1 to N inside one transaction. Never edit a migration
that has shipped: add a new one. Times are REAL unix seconds (UTC); ids grow with time, so every
list is keyset-paged on id.
"""

from __future__ import annotations

V1 = """
CREATE TABLE connectors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    preset TEXT,
    base_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'untested',
    status_detail TEXT NOT NULL DEFAULT '',
    tested_at REAL,
    enabled INTEGER NOT NULL DEFAULT 1,
    config_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE services (
    -- AUTOINCREMENT: a deleted service's id is never reused, so a new service never
    -- inherits the runs and logs of an old one.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    source_id INTEGER NOT NULL REFERENCES connectors(id),
    destination_id INTEGER NOT NULL REFERENCES connectors(id),
    schedule TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    cooldown_minutes INTEGER NOT NULL DEFAULT 60,
    capture_payloads INTEGER NOT NULL DEFAULT 0,
    config_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    service_id INTEGER REFERENCES services(id),
    sync_type TEXT NOT NULL,
    trigger TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL,
    pulled INTEGER NOT NULL DEFAULT 0,
    pushed INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    retry_of INTEGER,
    pid INTEGER,
    host TEXT,
    heartbeat_at REAL,
    cancel_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_service ON runs(service_id, id);
CREATE INDEX runs_status ON runs(status, id);
CREATE INDEX runs_started ON runs(started_at);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    stream TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL,
    processed INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    rate_limited INTEGER NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX steps_run ON steps(run_id, id);
CREATE TABLE instances (
    id INTEGER PRIMARY KEY,
    step_id INTEGER NOT NULL REFERENCES steps(id),
    run_id INTEGER NOT NULL,
    page INTEGER NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    cursor TEXT,
    records INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    headroom REAL,
    status_code INTEGER,
    duration_ms INTEGER,
    started_at REAL NOT NULL
);
CREATE INDEX instances_step ON instances(step_id, id);
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    step_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    instance_id INTEGER,
    external_id TEXT NOT NULL,
    internal_id TEXT,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL
);
CREATE INDEX entities_step ON entities(step_id, id);
CREATE INDEX entities_external ON entities(external_id);
CREATE INDEX entities_internal ON entities(internal_id) WHERE internal_id IS NOT NULL;
CREATE TABLE api_calls (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    step_id INTEGER,
    instance_id INTEGER,
    entity_id INTEGER,
    connector_id INTEGER,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    params_json TEXT NOT NULL DEFAULT '{}',
    status_code INTEGER,
    duration_ms INTEGER,
    attempt INTEGER NOT NULL DEFAULT 1,
    error TEXT NOT NULL DEFAULT '',
    started_at REAL NOT NULL,
    request_headers_json TEXT NOT NULL DEFAULT '{}',
    response_headers_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX calls_instance ON api_calls(instance_id, id) WHERE instance_id IS NOT NULL;
CREATE INDEX calls_entity ON api_calls(entity_id, id) WHERE entity_id IS NOT NULL;
CREATE TABLE payloads (
    call_id INTEGER PRIMARY KEY,
    created_at REAL NOT NULL,
    request_body BLOB,
    response_body BLOB
);
CREATE TABLE log_events (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    level TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    connector_id INTEGER,
    service_id INTEGER,
    run_id INTEGER,
    step_id INTEGER,
    entity_id INTEGER,
    code TEXT
);
CREATE INDEX logs_ts ON log_events(ts);
CREATE INDEX logs_level ON log_events(level, id);
CREATE INDEX logs_connector ON log_events(connector_id, id);
CREATE INDEX logs_run ON log_events(run_id, id) WHERE run_id IS NOT NULL;
CREATE TABLE id_map (
    service_id INTEGER NOT NULL,
    stream TEXT NOT NULL,
    external_id TEXT NOT NULL,
    internal_id TEXT,
    payload_hash TEXT,
    pending INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL,
    PRIMARY KEY (service_id, stream, external_id)
) WITHOUT ROWID;
CREATE TABLE stream_state (
    service_id INTEGER NOT NULL,
    stream TEXT NOT NULL,
    cursor_value TEXT,
    updated_at REAL NOT NULL,
    PRIMARY KEY (service_id, stream)
) WITHOUT ROWID;
CREATE TABLE config_files (
    id INTEGER PRIMARY KEY,
    imported_at REAL NOT NULL,
    source_path TEXT NOT NULL DEFAULT '',
    toml TEXT NOT NULL
);
"""

# v2: fast tiles (daily counters kept by triggers) and full-text search of log messages.
V2 = """
CREATE TABLE log_counts (
    day INTEGER NOT NULL,
    connector_id INTEGER NOT NULL DEFAULT 0,
    service_id INTEGER NOT NULL DEFAULT 0,
    level TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    last_ts REAL NOT NULL,
    PRIMARY KEY (day, connector_id, service_id, level, kind)
) WITHOUT ROWID;
INSERT INTO log_counts (day, connector_id, service_id, level, kind, n, last_ts)
    SELECT CAST(ts / 86400 AS INTEGER), COALESCE(connector_id, 0), COALESCE(service_id, 0), level,
           kind, COUNT(*), MAX(ts)
    FROM log_events GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER log_counts_ins AFTER INSERT ON log_events BEGIN
    INSERT INTO log_counts (day, connector_id, service_id, level, kind, n, last_ts)
    VALUES (CAST(new.ts / 86400 AS INTEGER), COALESCE(new.connector_id, 0),
            COALESCE(new.service_id, 0), new.level, new.kind, 1, new.ts)
    ON CONFLICT (day, connector_id, service_id, level, kind)
    DO UPDATE SET n = n + 1, last_ts = max(last_ts, excluded.last_ts);
END;
CREATE TRIGGER log_counts_del AFTER DELETE ON log_events BEGIN
    UPDATE log_counts SET n = n - 1
    WHERE day = CAST(old.ts / 86400 AS INTEGER) AND connector_id = COALESCE(old.connector_id, 0)
      AND service_id = COALESCE(old.service_id, 0) AND level = old.level AND kind = old.kind;
END;
CREATE VIRTUAL TABLE log_fts USING fts5(
    title, details, content='log_events', content_rowid='id', tokenize='trigram'
);
INSERT INTO log_fts (rowid, title, details) SELECT id, title, details FROM log_events;
CREATE TRIGGER log_fts_ins AFTER INSERT ON log_events BEGIN
    INSERT INTO log_fts (rowid, title, details) VALUES (new.id, new.title, new.details);
END;
CREATE TRIGGER log_fts_del AFTER DELETE ON log_events BEGIN
    INSERT INTO log_fts (log_fts, rowid, title, details)
    VALUES ('delete', old.id, old.title, old.details);
END;
ALTER TABLE payloads ADD COLUMN compressed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX payloads_created ON payloads(created_at);
CREATE INDEX entities_step_action ON entities(step_id, action, id);
CREATE INDEX logs_service ON log_events(service_id, id) WHERE service_id IS NOT NULL;
CREATE INDEX logs_kind ON log_events(kind, id);
CREATE INDEX logs_connector_level ON log_events(connector_id, level, id);
CREATE INDEX runs_synced ON runs(service_id, finished_at) WHERE status IN ('success', 'partial');
"""

# v3: value mappings (lookup tables) the mapping grid edits, with their status.
V3 = """
CREATE TABLE value_mappings (
    service_id INTEGER NOT NULL,
    lookup TEXT NOT NULL,
    source_value TEXT NOT NULL,
    destination_value TEXT,
    status TEXT NOT NULL DEFAULT 'unmapped',
    updated_at REAL NOT NULL,
    PRIMARY KEY (service_id, lookup, source_value)
) WITHOUT ROWID;
CREATE INDEX value_mappings_status ON value_mappings(service_id, lookup, status);
CREATE TABLE undo_log (
    id INTEGER PRIMARY KEY,
    at REAL NOT NULL,
    service_id INTEGER,
    what TEXT NOT NULL,
    undo_json TEXT NOT NULL
);
"""

# v4: sample records of the last pull per service and stream (mapping preview, path completion).
V4 = """
CREATE TABLE samples (
    service_id INTEGER NOT NULL,
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    record_json TEXT NOT NULL,
    pulled_at REAL NOT NULL,
    PRIMARY KEY (service_id, stream, seq)
) WITHOUT ROWID;
"""

# v5: the fleet. Workers register and heartbeat; a run is claimed by one worker; one live
# (queued or running) run per service; one owner per scheduled fire, however many workers see it.
# Live runs that would break the one-live rule (older duplicates) are marked interrupted first.
V5 = """
CREATE TABLE workers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at REAL NOT NULL,
    heartbeat_at REAL NOT NULL,
    lease_seconds REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',
    stopped_at REAL
);
CREATE INDEX workers_status ON workers(status, id);
CREATE TABLE schedule_fires (
    service_id INTEGER NOT NULL,
    fire_at REAL NOT NULL,
    worker_id INTEGER,
    run_id INTEGER,
    outcome TEXT NOT NULL,
    PRIMARY KEY (service_id, fire_at)
) WITHOUT ROWID;
ALTER TABLE runs ADD COLUMN worker_id INTEGER;
ALTER TABLE runs ADD COLUMN options_json TEXT;
UPDATE runs SET status = 'interrupted', finished_at = COALESCE(heartbeat_at, started_at),
    message = 'The process running this sync stopped before it finished.'
WHERE status IN ('queued', 'running') AND service_id IS NOT NULL AND id NOT IN (
    SELECT MAX(id) FROM runs WHERE status IN ('queued', 'running') GROUP BY service_id);
CREATE UNIQUE INDEX runs_one_live ON runs(service_id) WHERE status IN ('queued', 'running');
CREATE INDEX runs_queued ON runs(id) WHERE status = 'queued';
CREATE INDEX runs_worker ON runs(worker_id) WHERE status = 'running';
"""

# v6: failed only (the console's `f`, --failed): the failed records of a step by a partial index,
# so 11 failures of a 50,000-record step are read without walking the step.
V6 = """
CREATE INDEX entities_step_failed ON entities(step_id, id) WHERE status = 'failed';
"""

MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V6]
LATEST = len(MIGRATIONS)
