//go:build race

package ops

func init() { raceEnabled = true }
