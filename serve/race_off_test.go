//go:build !race

package serve

const raceOn = false
