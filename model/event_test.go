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
