package model

// HostTable is what a host check measured, as typed gauges for front ends
// and `check --json` (the same figures are metrics for history). It is
// nil for other checks and when the figures could not be read.
type HostTable struct {
	CPUPct      float64 // busy % since the previous run; NaN when no window was measured
	Load1       float64
	Load5       float64
	Load15      float64
	LoadPerCore float64 // Load1 / Cores: what the load threshold judges
	Cores       int
	MemPct      float64
	SwapPct     float64 // 0 when there is no swap (SwapBytes 0)
	SwapBytes   uint64
	// Filesystems are the real (block-device) filesystems, by mount point.
	Filesystems []Filesystem
	// Temperatures are every sensor, hottest first; empty when the machine
	// has none ("n/a", never 0).
	Temperatures []Temperature
}

// Filesystem is one filesystem's fill level.
type Filesystem struct {
	Mount, Device, FSType string
	UsedPct               float64 // NaN when Err is set
	Err                   string  // statfs failed
}

// Temperature is one sensor's reading.
type Temperature struct {
	Sensor  string
	Celsius float64
}
