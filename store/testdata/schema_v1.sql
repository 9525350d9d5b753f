CREATE TABLE check_state (
		id INTEGER PRIMARY KEY,
		asset TEXT NOT NULL,
		name TEXT NOT NULL,
		type TEXT NOT NULL,
		status INTEGER NOT NULL,
		hard_status INTEGER NOT NULL,
		hard INTEGER NOT NULL,
		attempt INTEGER NOT NULL,
		summary TEXT NOT NULL,
		metrics TEXT NOT NULL,
		primary_metric TEXT NOT NULL,
		attrs TEXT NOT NULL,
		last_run INTEGER NOT NULL,
		duration INTEGER NOT NULL,
		since INTEGER NOT NULL,
		names TEXT NOT NULL,
		last_sample INTEGER NOT NULL,
		UNIQUE (asset, name)
	);
	CREATE TABLE events (
		id INTEGER PRIMARY KEY,
		seq INTEGER NOT NULL,
		at INTEGER NOT NULL,
		kind TEXT NOT NULL,
		asset TEXT NOT NULL,
		check_name TEXT NOT NULL,
		service TEXT NOT NULL,
		from_status INTEGER NOT NULL,
		to_status INTEGER NOT NULL,
		hard INTEGER NOT NULL,
		from_hard INTEGER NOT NULL,
		from_attempt INTEGER NOT NULL,
		attempt INTEGER NOT NULL,
		max_attempts INTEGER NOT NULL,
		summary TEXT NOT NULL
	);
	CREATE INDEX events_at ON events (at);
	CREATE TABLE results (
		check_id INTEGER NOT NULL,
		at INTEGER NOT NULL,
		status INTEGER NOT NULL,
		duration INTEGER NOT NULL,
		vals BLOB,
		PRIMARY KEY (check_id, at)
	) WITHOUT ROWID;
