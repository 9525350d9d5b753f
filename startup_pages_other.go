//go:build !linux

package main

// releaseStartupPages is Linux's (startup_pages_linux.go).
func releaseStartupPages() {}
