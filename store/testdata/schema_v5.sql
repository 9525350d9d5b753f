CREATE TABLE adhoc_windows (
		asset TEXT PRIMARY KEY,
		reason TEXT NOT NULL,
		operator TEXT NOT NULL,
		from_at INTEGER NOT NULL,
		until INTEGER NOT NULL
	) WITHOUT ROWID;
