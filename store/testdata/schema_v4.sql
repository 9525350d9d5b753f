CREATE TABLE operations (
		id INTEGER PRIMARY KEY,
		at INTEGER NOT NULL,
		operator TEXT NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('ack', 'unack', 'maintenance', 'end_maintenance')),
		asset TEXT NOT NULL,
		check_name TEXT NOT NULL,
		comment TEXT NOT NULL,
		sticky INTEGER NOT NULL,
		until INTEGER NOT NULL,
		applied_at INTEGER,
		error TEXT
	);
	CREATE INDEX operations_pending ON operations (id) WHERE applied_at IS NULL;
	CREATE TABLE acks (
		asset TEXT NOT NULL,
		check_name TEXT NOT NULL,
		operator TEXT NOT NULL,
		comment TEXT NOT NULL,
		at INTEGER NOT NULL,
		sticky INTEGER NOT NULL,
		PRIMARY KEY (asset, check_name)
	) WITHOUT ROWID;