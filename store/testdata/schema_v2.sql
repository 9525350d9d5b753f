CREATE TABLE rollup_1m (
		check_id INTEGER NOT NULL,
		bucket INTEGER NOT NULL,
		vals BLOB NOT NULL,
		PRIMARY KEY (check_id, bucket)
	) WITHOUT ROWID;
	CREATE TABLE rollup_1h (
		check_id INTEGER NOT NULL,
		bucket INTEGER NOT NULL,
		vals BLOB NOT NULL,
		PRIMARY KEY (check_id, bucket)
	) WITHOUT ROWID;
	CREATE INDEX events_asset ON events (asset, at);
	CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
