import GRDB

/// The versioned schema of the progress store. Append migrations (`v2`, `v3`, …); never edit
/// one that has shipped.
package enum ProgressSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE learners (
                  id TEXT PRIMARY KEY NOT NULL,
                  name TEXT,
                  email TEXT
                );
                CREATE TABLE enrolments (
                  learner_id TEXT NOT NULL REFERENCES learners(id),
                  curriculum TEXT NOT NULL,
                  level TEXT,
                  track TEXT,
                  PRIMARY KEY (learner_id, curriculum)
                ) WITHOUT ROWID;
                CREATE TABLE import_batches (
                  id INTEGER PRIMARY KEY,
                  source TEXT NOT NULL,
                  path TEXT NOT NULL,
                  digest TEXT NOT NULL,
                  rows INTEGER NOT NULL,
                  changed INTEGER NOT NULL,
                  rejected INTEGER NOT NULL,
                  imported_at TEXT NOT NULL
                );
                CREATE INDEX import_batches_digest ON import_batches(source, digest);
                -- status: 0 not attempted, 1 browsed, 2 incomplete, 3 failed, 4 completed, 5 passed
                CREATE TABLE attempts (
                  learner_id TEXT NOT NULL,
                  curriculum TEXT NOT NULL,
                  item_id TEXT NOT NULL,
                  attempt INTEGER NOT NULL,
                  kind TEXT NOT NULL,
                  level TEXT,
                  status INTEGER NOT NULL,
                  score REAL,
                  score_max REAL,
                  started_at TEXT,
                  last_at TEXT,
                  seconds INTEGER,
                  observer TEXT,
                  source TEXT NOT NULL,
                  batch_id INTEGER,
                  PRIMARY KEY (learner_id, item_id, curriculum, attempt)
                ) WITHOUT ROWID;
                CREATE TABLE interactions (
                  learner_id TEXT NOT NULL,
                  curriculum TEXT NOT NULL,
                  item_id TEXT NOT NULL,
                  attempt INTEGER NOT NULL,
                  interaction TEXT NOT NULL,
                  type TEXT,
                  response TEXT,
                  correct TEXT,
                  result TEXT,
                  latency TEXT,
                  time TEXT,
                  weighting TEXT,
                  PRIMARY KEY (learner_id, curriculum, item_id, attempt, interaction)
                ) WITHOUT ROWID;
                CREATE TABLE runtime (
                  learner_id TEXT NOT NULL,
                  package TEXT NOT NULL,
                  sco TEXT NOT NULL,
                  attempt INTEGER NOT NULL,
                  cmi_values TEXT NOT NULL,
                  cmi_interactions TEXT NOT NULL,
                  curriculum TEXT,
                  PRIMARY KEY (learner_id, package, sco, attempt)
                ) WITHOUT ROWID;
                """)
        }
        // v2: the items the imports have seen, with kind and level, so a report without a
        // curriculum finds the levels without scanning every attempt.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE items (
                  curriculum TEXT NOT NULL,
                  id TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  level TEXT NOT NULL,
                  PRIMARY KEY (curriculum, id)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO items (curriculum, id, kind, level)
                  SELECT curriculum, item_id, kind, level FROM attempts WHERE level IS NOT NULL;
                """)
        }
        // v3: one row per learner, item and curriculum summarising its attempts, so a report
        // reads a million small rows instead of grouping millions of attempts. Writers keep it
        // current through `ProgressWriter.refreshSummary` / `refreshSummaries` (not triggers:
        // a trigger per inserted attempt more than doubled the import time).
        m.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE item_progress (
                  learner_id TEXT NOT NULL,
                  curriculum TEXT NOT NULL,
                  item_id TEXT NOT NULL,
                  status INTEGER NOT NULL,
                  best REAL,
                  attempts INTEGER NOT NULL,
                  seconds INTEGER NOT NULL,
                  last_at TEXT,
                  observer TEXT,
                  signed_at TEXT,
                  PRIMARY KEY (learner_id, item_id, curriculum)
                ) WITHOUT ROWID;
                INSERT INTO item_progress
                  SELECT learner_id, curriculum, item_id, MAX(status),
                    MAX(CASE WHEN score_max > 0 THEN score * 100.0 / score_max ELSE score END),
                    COUNT(*), COALESCE(SUM(seconds), 0), MAX(last_at),
                    MAX(CASE WHEN status >= 4 THEN observer END),
                    MAX(CASE WHEN status >= 4 THEN last_at END)
                  FROM attempts GROUP BY learner_id, item_id, curriculum;
                """)
        }
        // v4: a quiz retried inside one attempt keeps every try. Interactions are keyed by
        // question id and try number (1 for the first time an id appears in the attempt, 2
        // for its retry, ...) with n of cmi.interactions.n as `position`; the rows already
        // stored are first tries. Attempts get `signed_at`, the date of a shadowing
        // sign-off as the SCO or a sign-off sheet recorded it; the summaries' sign-off date
        // comes from it instead of the last access. Rows that carried a sign-off (an observer,
        // from the preview, whose last date was the SCO's "d", or a sign-off sheet) keep
        // their date; Moodle and TalentLMS rows never recorded one.
        m.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE interactions_v4 (
                  learner_id TEXT NOT NULL,
                  curriculum TEXT NOT NULL,
                  item_id TEXT NOT NULL,
                  attempt INTEGER NOT NULL,
                  interaction TEXT NOT NULL,
                  try INTEGER NOT NULL DEFAULT 1,
                  position INTEGER,
                  type TEXT,
                  response TEXT,
                  correct TEXT,
                  result TEXT,
                  latency TEXT,
                  time TEXT,
                  weighting TEXT,
                  PRIMARY KEY (learner_id, curriculum, item_id, attempt, interaction, try)
                ) WITHOUT ROWID;
                INSERT INTO interactions_v4 (learner_id, curriculum, item_id, attempt, interaction, type, response, correct, result, latency, time, weighting)
                  SELECT learner_id, curriculum, item_id, attempt, interaction, type, response, correct, result, latency, time, weighting FROM interactions;
                DROP TABLE interactions;
                ALTER TABLE interactions_v4 RENAME TO interactions;
                ALTER TABLE attempts ADD COLUMN signed_at TEXT;
                UPDATE attempts SET signed_at = last_at
                  WHERE kind = 'shadowing' AND status >= 4 AND observer IS NOT NULL AND source IN ('preview', 'csv');
                DELETE FROM item_progress;
                INSERT INTO item_progress \(summaryColumnsV4) FROM attempts GROUP BY learner_id, item_id, curriculum;
                """)
        }
        // v5: merges that do not depend on the order files are imported in (issue 10, D3 and
        // D8). An enrolment keeps the dates its level and track were stated (`level_at`,
        // `track_at`): the one stated latest wins. An attempt keeps the date of its score
        // (`score_at`): the score read latest wins. Stored scores take their attempt's last
        // date (the newest the store knows); stored levels and tracks stay undated. The
        // summaries get `credited`, the best score of attempts whose status does not say
        // failed or not attempted, which decides an assessment against its mastery score.
        m.registerMigration("v5") { db in
            try db.execute(sql: """
                ALTER TABLE enrolments ADD COLUMN level_at TEXT;
                ALTER TABLE enrolments ADD COLUMN track_at TEXT;
                ALTER TABLE attempts ADD COLUMN score_at TEXT;
                UPDATE attempts SET score_at = last_at WHERE score IS NOT NULL;
                ALTER TABLE item_progress ADD COLUMN credited REAL;
                DELETE FROM item_progress;
                INSERT INTO item_progress \(ProgressWriter.summarySelect) GROUP BY learner_id, item_id, curriculum;
                """)
        }
        return m
    }

    /// The summary columns up to v4 (`ProgressWriter.summarySelect` adds v5's `credited`); v4's
    /// migration inserts exactly these, whatever later versions add.
    static let summaryColumnsV4 = """
        SELECT learner_id, curriculum, item_id, MAX(status),
          MAX(CASE WHEN score_max > 0 THEN score * 100.0 / score_max ELSE score END),
          COUNT(*), COALESCE(SUM(seconds), 0), MAX(last_at),
          MAX(CASE WHEN status >= 4 THEN observer END),
          MAX(CASE WHEN status >= 4 THEN signed_at END)
        """
}
