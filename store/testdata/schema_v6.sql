CREATE TABLE subject_days (
		day INTEGER NOT NULL,
		asset TEXT NOT NULL,
		service TEXT NOT NULL,
		part INTEGER NOT NULL,
		changes TEXT NOT NULL,
		PRIMARY KEY (day, asset, service, part)
	) WITHOUT ROWID;
	INSERT INTO subject_days (day, asset, service, part, changes)
		SELECT at / 86400000000000, asset, service, 0,
			group_concat((at % 86400000000000) || ',' || from_status || ',' || to_status || ',' || (from_hard + 2 * hard) || ';', '' ORDER BY id)
		FROM events WHERE kind = 'state' AND check_name = '' AND at >= 0
		GROUP BY 1, 2, 3;
