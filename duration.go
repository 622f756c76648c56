package durable

import "time"

// Seconds returns n seconds.
func Seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// Minutes returns n minutes.
func Minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

// Hours returns n hours.
func Hours(n int) time.Duration { return time.Duration(n) * time.Hour }

// Days returns n days of 24 hours.
func Days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Weeks returns n weeks of 7 days.
func Weeks(n int) time.Duration { return time.Duration(n) * 7 * 24 * time.Hour }

// Months returns n months of 30 days.
func Months(n int) time.Duration { return time.Duration(n) * 30 * 24 * time.Hour }

// Years returns n years of 365 days.
func Years(n int) time.Duration { return time.Duration(n) * 365 * 24 * time.Hour }
