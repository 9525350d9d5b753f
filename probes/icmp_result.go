package probes

import (
	"context"
	"errors"
	"fmt"
	"math"
	"syscall"
	"time"

	"noctop/model"
)

// icmpOutcome judges one run: loss against the loss threshold (percent),
// average RTT against the rtt one, and all lost is CRITICAL whatever the
// thresholds. A run that ended in an error is never judged on its partial
// stats: a failed send is not loss.
func icmpOutcome(loss, rtt model.Threshold, st echoStats, err error) model.Outcome {
	metrics := map[string]float64{model.MetricSent: float64(st.sent), model.MetricReceived: float64(st.recv)}
	if err != nil {
		return model.Outcome{Status: errorStatus(err), Summary: errorSummary(st, err), Metrics: metrics, Local: icmpLocal(err)}
	}
	lossPct := 100 * float64(st.sent-st.recv) / float64(st.sent)
	metrics[model.MetricLossPct] = lossPct
	short := ""
	if st.sent < st.count {
		short = fmt.Sprintf(" (%d of %d sent before the deadline)", st.sent, st.count)
	}
	if st.recv == 0 {
		return model.Outcome{Status: model.StatusCritical, Summary: fmt.Sprintf("%d/%d lost%s", st.sent, st.sent, short), Metrics: metrics}
	}

	lo, avg, hi, sd := rttStats(st.rtts)
	metrics[model.MetricRTTMin], metrics[model.MetricRTTAvg], metrics[model.MetricRTTMax], metrics[model.MetricJitter] = lo, avg, hi, sd
	v := model.NewVerdict()
	v.Judge(loss, "loss", lossPct)
	v.Judge(rtt, "rtt", avg)
	facts := fmt.Sprintf("%d/%d received, rtt %s/%s/%s ms%s", st.recv, st.sent,
		model.FormatValue(lo, ""), model.FormatValue(avg, ""), model.FormatValue(hi, ""), short)
	// Replies came back: loss or RTT over a limit is degraded, not down.
	return model.Outcome{Status: v.Status, Summary: model.Describe(v.Reasons, facts), Metrics: metrics, Degraded: true}
}

// rttStats returns min, mean, max and population standard deviation
// (jitter, as ping's mdev) in milliseconds.
func rttStats(rtts []time.Duration) (lo, avg, hi, sd float64) {
	lo = math.Inf(1)
	for _, r := range rtts {
		v := rttMS(r)
		lo, hi = min(lo, v), max(hi, v)
		avg += v
	}
	avg /= float64(len(rtts))
	for _, r := range rtts {
		d := rttMS(r) - avg
		sd += d * d
	}
	return lo, avg, hi, math.Sqrt(sd / float64(len(rtts)))
}

func rttMS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// errorStatus: no route to the target is CRITICAL (it is unreachable from
// here); any other failure to measure is UNKNOWN.
func errorStatus(err error) model.Status {
	var se *sendError
	if errors.As(err, &se) && (errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH)) {
		return model.StatusCritical
	}
	return model.StatusUnknown
}

// icmpLocal reports a failure of this machine, not the target: a send the
// kernel refused for a local reason (a firewall's EPERM, no buffers), no
// send slot or no time before the deadline, replies dropped from our own
// full receive buffer.
func icmpLocal(err error) bool {
	var drops *ownDropsError
	return isLocal(err) || errors.Is(err, errNoSendSlot) || errors.Is(err, errSendLate) ||
		errors.Is(err, errNoTime) || errors.As(err, &drops)
}

func errorSummary(st echoStats, err error) string {
	progress := fmt.Sprintf("%d of %d sent, %d received", st.sent, st.count, st.recv)
	if errors.Is(err, context.Canceled) {
		return model.Describe([]string{"ping cancelled"}, progress)
	}
	return model.Describe([]string{err.Error()}, progress)
}
