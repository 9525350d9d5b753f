package traps

// Bounds of what the receiver keeps about rejected messages: a sender that
// varies its garbage (a new user name in every datagram) must grow neither
// the state nor the report of it.
const (
	// maxReasons is how many distinct reasons a source counts one by one
	// between two reports; later ones are counted together as "other".
	maxReasons = 8
	// maxMergedReasons bounds the reasons of a report that folds many
	// sources into one.
	maxMergedReasons = 64
	// maxShownReasons is how many reasons a report names, most frequent
	// first; the rest are summed as "other reasons".
	maxShownReasons = 5
)

// tally counts rejected messages by reason, for at most a given number of
// distinct reasons; the rest are counted in other.
type tally struct {
	counts []reasonCount
	other  uint64
}

type reasonCount struct {
	reason string
	n      uint64
}

// add counts n messages of reason. A reason not counted yet goes to other
// once limit reasons are. Reasons are few: a linear search beats a map.
func (t *tally) add(reason string, n uint64, limit int) {
	for i := range t.counts {
		if t.counts[i].reason == reason {
			t.counts[i].n += n
			return
		}
	}
	if len(t.counts) < limit {
		t.counts = append(t.counts, reasonCount{reason, n})
		return
	}
	t.other += n
}

// merge adds u's counts to t.
func (t *tally) merge(u *tally, limit int) {
	for _, c := range u.counts {
		t.add(c.reason, c.n, limit)
	}
	t.other += u.other
}

func (t *tally) total() uint64 {
	n := t.other
	for _, c := range t.counts {
		n += c.n
	}
	return n
}

func (t *tally) empty() bool { return len(t.counts) == 0 && t.other == 0 }

// reset forgets everything, releasing the reasons.
func (t *tally) reset() { *t = tally{} }
