// Package model holds noctop's domain: configuration, statuses, threshold
// evaluation, the engine that owns all monitoring state, and the immutable
// snapshots it publishes. It does no network I/O and imports nothing of ours.
//
// # Engine semantics
//
// The engine lives in the engine_*.go files; config loading and validation
// in load_*.go; the config's types in config*.go; what probes return in
// result*.go; what the engine publishes in snapshot*.go.
//
// Ownership. Run is the only goroutine that touches monitoring state.
// Results (Submit) and commands (Recheck, Sync) share one buffered inbox, so
// a command sees every result submitted before it. Submit blocks while the
// inbox is full: backpressure reaches the scheduler, never the UI, which
// reads snapshots only.
//
// Soft and hard (per check, Nagios style). A check starts PENDING. OK is
// hard at once, from anything. A problem (WARNING, CRITICAL, UNKNOWN) after
// OK or PENDING is soft, Attempt 1 of MaxAttempts (the check's retries);
// each further problem counts up and the check turns hard at MaxAttempts.
// While soft, HardStatus keeps the last hard status. A hard problem that
// changes to another problem stays hard (hard WARNING -> CRITICAL is hard
// at once). Retries 1, or EngineOptions.OneShot, makes every result hard.
// Hard is false only while a problem is being retried; Attempt is 0 for OK
// and MaxAttempts for a hard problem. A probe status other than OK,
// WARNING, CRITICAL or UNKNOWN is taken as UNKNOWN with a reason.
//
// Assets. Status is the worst check Status (soft problems show; Hard is
// false when the worst is soft), HardStatus the worst check HardStatus. An
// asset is Down when an icmp check is hard CRITICAL, or, without icmp
// checks, when every check is hard CRITICAL — counting only CRITICALs that
// are not Outcome.Degraded (the target answered: an SNMP agent reporting a
// port down, an RTT over its limit, a full disk). An asset with a problem whose
// parents are all blocked (Down, or UNREACHABLE themselves) is UNREACHABLE,
// not Down, and RootCause names the Down ancestors at the top of the chain
// (sorted, deduplicated, comma-joined). An asset whose checks are OK stays
// OK whatever its parents say: there is another path. Changes propagate
// parents first, so an asset is evaluated once per change.
//
// Triage never names a false root cause (engine_triage.go). When a check
// starts failing (or goes from WARNING to CRITICAL or UNKNOWN), the
// checks of its asset's healthy parents are rechecked
// (EngineOptions.Recheck) and each such parent is undecided until every
// check ran after that moment; a parent is undecided too while a check that
// could make it down has no result yet or is a soft CRITICAL. An asset with
// a problem whose parents are all blocked or in doubt (undecided, or
// checking themselves), at least one in doubt, is checking (RoleChecking,
// Checking names what it awaits): not down, not a root cause. A root cause
// already found is not demoted while a parent wavers. When an asset stops
// blocking (it recovered), its UNREACHABLE children's failing checks are
// rechecked and the children stay UNREACHABLE ("core-sw1 recovered,
// rechecking") until each failing check ran after the recovery. Every
// asset has a Role (root cause, unreachable, checking, critical, unknown,
// warning, soft, none) and Snapshot.Tally counts them with the services
// down: the one set of numbers every front end shows.
//
// Local problems (Outcome.Local: this machine out of file descriptors)
// keep the checks UNKNOWN but emit no per-check or per-asset events: one
// EventLocal when the problem starts, one a minute while it goes on (with
// counts), one when the last check recovers.
//
// Maintenance windows (engine_maintenance.go): an asset inside a window
// of its own is published MAINTENANCE with RoleNone, over the status its
// checks give, which the engine keeps for its children and shows again
// when the window ends. An UNREACHABLE asset whose root causes are all in
// windows is covered: MAINTENANCE too, Maintenance.CoveredBy naming them.
//
// Services use hard states only. A member is up when OK, WARNING or
// MAINTENANCE, failing when CRITICAL, UNREACHABLE or UNKNOWN, pending when
// PENDING. "all" means M of M and "any" 1 of M. A service is CRITICAL when
// too few members can still be up, PENDING while pending members decide it
// (so all-pending is PENDING), else WARNING when "all" has a WARNING member
// or "any"/"N of M" has a failing one, else OK. Nested services are rolled
// up members first.
//
// Events. A change of a check's status or hardness, of an asset's status
// (or its hardness, for a problem) and of a service's status is an
// EventState; a first OK (PENDING -> OK) is
// not, or startup would fill the window with noise. A TLS fingerprint or a
// version attr that differs from the check's last non-empty value is an
// EventChange "old -> new". Snapshot.Events keeps the last 500, Seq
// increasing by one.
//
// Notices (Notify) come from outside the checks, such as SNMP traps. A
// notice is an event of its kind (EventTrap) on its asset, with From = To =
// the asset's status: it changes no state. With Recheck set, every check of
// the asset is handed to EngineOptions.Recheck. Notify never waits: with the
// inbox full it drops the notice, counts it (NoticesDropped) and returns
// ErrInboxFull, because its callers (the trap receiver) must keep reading
// their socket.
//
// Snapshots are immutable. A state that did not change keeps its pointer
// from the previous snapshot; a changed one is a fresh copy. History and
// Events are views into append-only windows (see engine_window.go), so they cost
// nothing to publish. Publishing is throttled with a leading and trailing
// edge: a change after a quiet period goes out at once; while results
// stream in, at most one snapshot per PublishEvery (250 ms, longer past
// 5,000 assets). Subscribers hold one
// snapshot and a newer one replaces it (counted in Snapshot.Dropped), so a
// slow reader never blocks the engine. Latest reads an atomic pointer.
package model
