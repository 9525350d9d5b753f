CREATE INDEX events_subject_state ON events (at, id, asset, service, from_status, to_status, from_hard, kind, hard, check_name)
		WHERE kind = 'state' AND hard = 1 AND check_name = '';