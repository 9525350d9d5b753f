//go:build race

package ui

// raceOn: the race detector slows the property tests about tenfold, so
// they run fewer rounds under it (the races are in the first rounds as
// much as in the last).
const raceOn = true
