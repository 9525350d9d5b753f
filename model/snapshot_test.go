package model_test

import (
	"testing"

	"noctop/model"
)

func TestEventTransition(t *testing.T) {
	cases := []struct {
		ev   model.Event
		want string
	}{
		{model.Event{From: model.StatusCritical, FromAttempt: 1, MaxAttempts: 2, To: model.StatusCritical, Hard: true, Attempt: 2}, "CRITICAL soft 1/2 -> CRITICAL hard"},
		{model.Event{From: model.StatusOK, FromHard: true, To: model.StatusCritical, Attempt: 1, MaxAttempts: 3}, "OK -> CRITICAL soft 1/3"},
		{model.Event{From: model.StatusCritical, FromHard: true, To: model.StatusOK, Hard: true}, "CRITICAL hard -> OK"},
		{model.Event{From: model.StatusUnreachable, FromHard: true, To: model.StatusCritical}, "UNREACHABLE hard -> CRITICAL soft"},
	}
	for _, c := range cases {
		if got := c.ev.Transition(); got != c.want {
			t.Errorf("Transition() = %q, want %q", got, c.want)
		}
	}
}

func TestTallyString(t *testing.T) {
	cases := []struct {
		t    model.Tally
		want string
	}{
		{model.Tally{}, "all OK"},
		{model.Tally{Soft: 3}, "3 retrying"},
		{model.Tally{RootCauses: 1, Unreachable: 9, ServicesDown: 3}, "1 root cause, 9 unreachable, 3 services down"},
		{model.Tally{Checking: 10}, "10 assets wait for a recheck"},
		{model.Tally{RootCauses: 2, Soft: 1}, "2 root causes, 1 retrying"},
		{model.Tally{Critical: 1, Warning: 4, ServicesDegraded: 1}, "1 critical, 4 warnings, 1 service degraded"},
	}
	for _, c := range cases {
		if got := c.t.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.t, got, c.want)
		}
	}
	if (model.Tally{Warning: 4, Unknown: 1}).Red() || !(model.Tally{Critical: 1}).Red() {
		t.Error("Red: warnings and unknowns alone must not be red; a hard CRITICAL must")
	}
}
