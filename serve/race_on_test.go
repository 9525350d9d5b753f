//go:build race

package serve

// raceOn: the race detector slows the 20-viewer test some fortyfold; under
// it the test runs a few rounds for its races and leaves the window
// filling (which needs ~35 rounds of 500 redrawn rows) to the plain run.
const raceOn = true
