//go:build race

package client

// raceEnabled: the race detector slows decoding tenfold; tests that decode large
// answers use smaller ones under it.
const raceEnabled = true
