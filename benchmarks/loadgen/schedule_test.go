package main

import (
	"math"
	"testing"
)

func TestARampSendsWhatHalfItsTimeAtTheFullRateWouldThenTheFullRate(t *testing.T) {
	// given a rise from 0 to 2,000/s over 30 s, then the full rate
	s := schedule{rate: 2000, ramp: 30}

	// then the ramp holds what 15 s at the full rate would, and the second after it 2,000 more
	if got := s.inRamp(); got != 30_000 {
		t.Fatalf("requests in the ramp: %d, want 30000", got)
	}
	if got := s.dueBy(31) - s.dueBy(30); got != 2_000 {
		t.Fatalf("due in the second after the ramp: %d, want 2000", got)
	}
	// and halfway up the ramp, the rate is half the full rate
	if got := s.dueBy(15.5) - s.dueBy(14.5); got < 990 || got > 1010 {
		t.Fatalf("due around 15 s: %d, want about 1000", got)
	}
	// and the ramp's last request is due before its end, the next one at its end
	if s.at(29_999) >= 30 || s.at(30_000) != 30 {
		t.Fatalf("requests 29999 and 30000 due at %f and %f s", s.at(29_999), s.at(30_000))
	}
}

func TestEachRequestIsSentWhenDueNotBefore(t *testing.T) {
	for _, s := range []schedule{{rate: 2000, ramp: 30}, {rate: 2000}, {rate: 7, ramp: 3}} {
		for _, i := range []int{0, 1, 2, 7, 10, 29_999, 30_000, 30_001, 45_678} {
			at := s.at(i)
			// the sender sends request i once more than i are due
			if s.dueBy(at+1e-6) <= i || s.dueBy(at-1e-6) > i {
				t.Fatalf("%+v: request %d due at %.6f s, but %d due just before and %d just after", s, i, at,
					s.dueBy(at-1e-6), s.dueBy(at+1e-6))
			}
		}
	}
}

func TestWithoutARampRequestsAreEvenlySpaced(t *testing.T) {
	s := schedule{rate: 2000}
	if got := s.at(4000); math.Abs(got-2) > 1e-9 {
		t.Fatalf("request 4000 due at %f s, want 2", got)
	}
	if got := s.dueBy(1.5) - s.dueBy(0.5); got != 2000 {
		t.Fatalf("due between 0.5 and 1.5 s: %d, want 2000", got)
	}
}

func TestWindowsCutTheRunByWhenItsRequestsWereDue(t *testing.T) {
	// given 10 s at 100/s after a 4 s ramp (200 requests in the ramp)
	s := schedule{rate: 100, ramp: 4}
	total := s.inRamp() + 100*10

	// when the run is cut into windows of 5 s
	windows := s.windows(total, 5)

	// then three windows cover every request once, in order: the ramp and 1 s at 100/s, 5 s, the last 4 s
	if len(windows) != 3 {
		t.Fatalf("windows: %+v, want 3", windows)
	}
	want := []window{{0, 5, 0, 300}, {5, 10, 300, 800}, {10, 15, 800, 1200}}
	for i, w := range windows {
		if w != want[i] {
			t.Fatalf("window %d: %+v, want %+v", i, w, want[i])
		}
	}
}
