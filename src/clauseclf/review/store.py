"""The review database: one SQLite file (stdlib sqlite3) with the clauses and every verdict on them.

Each verdict is its own committed transaction, written through a write-ahead log
with `synchronous=FULL`: a crash (or a killed server) loses at most the verdict
being saved, never one already acknowledged. Verdicts are appended, never
updated: the latest one per clause counts, the others are its history.

>>> store = ReviewStore(":memory:")
>>> store.load([{"doc_id": "bill", "clause_id": "s1", "text": "A person who ...", "labels": [], "scores": {}}])
1
>>> store.add_verdict("bill::s1", ["missing_intent"], [], "no mental element", "ana")["decision"]
'correct'
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path

from clauseclf.errors import InputError
from clauseclf.outputs import check_writable
from clauseclf.review.records import clause_key, corpus_record, write_records

SCHEMA_VERSION = "1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clauses (
    key TEXT PRIMARY KEY,          -- doc_id::clause_id
    position INTEGER NOT NULL,     -- order of loading: bill order
    record TEXT NOT NULL           -- the prediction line, as JSON
);
CREATE TABLE IF NOT EXISTS verdicts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    clause_key TEXT NOT NULL REFERENCES clauses(key),
    labels TEXT NOT NULL,          -- JSON list: the labels the reviewer settled on
    model_labels TEXT NOT NULL,    -- JSON list: what the model had predicted
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'correct')),
    comment TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL       -- ISO 8601, UTC
);
CREATE INDEX IF NOT EXISTS verdicts_by_clause ON verdicts (clause_key, id);
"""


class ReviewStore:
    """Clauses and verdicts in one SQLite file; safe to share between the server's threads."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:" and Path(self.path).is_dir():
            raise InputError(self.path, "is a folder, expected a SQLite file", hint="pass --db review.sqlite")
        try:
            self._connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._connection.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                           "PRAGMA foreign_keys=ON;" + SCHEMA)
        except sqlite3.DatabaseError as error:
            raise InputError(self.path, f"not a review database ({error})",
                             hint="pass a new file name, or one written by `clauseclf review serve`") from None
        self._lock = threading.Lock()
        self._execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    def close(self) -> None:
        self._connection.close()

    def _execute(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        # One statement, one transaction (autocommit): committed before the caller hears back.
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def load(self, records: list[dict]) -> int:
        """Add (or refresh) the clauses of a predictions file; verdicts already given are kept."""
        start = self._execute("SELECT COALESCE(MAX(position) + 1, 0) FROM clauses")[0][0]
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                for offset, record in enumerate(records):
                    self._connection.execute(
                        "INSERT INTO clauses VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET record = excluded.record",
                        (clause_key(record), start + offset, json.dumps(record, ensure_ascii=False)))
                self._connection.execute("COMMIT")
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
        return len(records)

    def clauses(self) -> list[dict]:
        """Every clause, in loading order, with `key`."""
        rows = self._execute("SELECT key, record FROM clauses ORDER BY position")
        return [{**json.loads(record), "key": key} for key, record in rows]

    def clause(self, key: str) -> dict | None:
        rows = self._execute("SELECT record FROM clauses WHERE key = ?", (key,))
        return {**json.loads(rows[0][0]), "key": key} if rows else None

    def add_verdict(self, key: str, labels: list[str], model_labels: list[str], comment: str,
                    reviewer: str, now: datetime | None = None) -> dict:
        """Store one verdict and commit it; `decision` is 'accept' when the labels are the model's."""
        if not self._execute("SELECT 1 FROM clauses WHERE key = ?", (key,)):
            raise KeyError(key)
        decision = "accept" if sorted(labels) == sorted(model_labels) else "correct"
        created = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        self._execute("INSERT INTO verdicts (clause_key, labels, model_labels, decision, comment, reviewer, created_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)",
                      (key, json.dumps(labels), json.dumps(model_labels), decision, comment, reviewer, created))
        return {"key": key, "labels": labels, "decision": decision, "comment": comment, "reviewer": reviewer,
                "created_at": created}

    def latest_verdicts(self) -> dict[str, dict]:
        """clause key -> its latest verdict."""
        rows = self._execute(
            "SELECT clause_key, labels, decision, comment, reviewer, created_at FROM verdicts "
            "WHERE id IN (SELECT MAX(id) FROM verdicts GROUP BY clause_key)")
        return {key: {"key": key, "labels": json.loads(labels), "decision": decision, "comment": comment,
                      "reviewer": reviewer, "created_at": created}
                for key, labels, decision, comment, reviewer, created in rows}

    def verdict_count(self) -> int:
        return self._execute("SELECT COUNT(*) FROM verdicts")[0][0]


def reviewed_records(store: ReviewStore) -> list[dict]:
    """The reviewed clauses as annotated corpus records (latest verdict each), in bill order."""
    verdicts = store.latest_verdicts()
    records = []
    for clause in store.clauses():
        verdict = verdicts.get(clause["key"])
        if verdict is None:
            continue
        review = {"reviewer": verdict["reviewer"], "reviewed_at": verdict["created_at"],
                  "decision": verdict["decision"], "model_labels": clause["labels"],
                  "model": clause.get("model") or {}, "tool": "clauseclf review"}
        records.append(corpus_record(clause, verdict["labels"], verdict["comment"], review))
    return records


def export_reviewed(db: str | Path, output: str | Path, force: bool = False) -> int:
    """Write the reviewed clauses of a review database as corpus JSONL; returns how many."""
    if not Path(db).is_file():
        raise InputError(db, "no review database here", hint="start one with `clauseclf review serve PREDICTIONS --db ...`")
    check_writable(output, force)
    store = ReviewStore(db)
    try:
        records = reviewed_records(store)
    finally:
        store.close()
    write_records(records, output, force=force)
    return len(records)
