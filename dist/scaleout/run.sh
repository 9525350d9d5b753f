#!/usr/bin/env bash
# Scale-out recipe on one machine, no containers (issue 14): the demo lab,
# 4 noctop pollers (2 shards x 2 replicas, site "lab"), a Prometheus
# scraping them with this directory's rules, and an Alertmanager cluster of
# 3. Everything listens on 127.0.0.1, on ports free when it starts; Ctrl-C
# (or any exit) stops every process it started and removes its files.
#
#   dist/scaleout/run.sh            # then: noctop view --prom URL --am URL
#
# Needs noctop (NOCTOP=path, or on PATH), and Debian's prometheus and
# prometheus-alertmanager packages (prometheus, prometheus-alertmanager).
# Alertmanager's webhook goes to WEBHOOK_URL (default
# http://127.0.0.1:9099/alerts; nothing listens there unless you do).
# The lab replays its scripted outage every 3 minutes (core-sw1 fails 30 s
# in); OUTAGE=0 keeps it healthy.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
noctop="${NOCTOP:-$(command -v noctop || true)}"
prometheus="${PROMETHEUS:-$(command -v prometheus || true)}"
alertmanager="${ALERTMANAGER:-$(command -v prometheus-alertmanager || command -v alertmanager || true)}"
webhook="${WEBHOOK_URL:-http://127.0.0.1:9099/alerts}"
for tool in noctop prometheus alertmanager; do
	if [ -z "${!tool}" ]; then
		echo "run.sh: $tool not found (set ${tool^^}=path)" >&2
		exit 1
	fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/noctop-scaleout.XXXXXX")"
pids=()
cleanup() {
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# free_port VAR sets VAR to a port no TCP or UDP socket listens on and this
# script has not handed out yet (Alertmanager's gossip takes both on its
# port). Not in $(...): the subshell would forget what it handed out.
# Below the kernel's ephemeral range: a port from that range may be taken
# by any outgoing connection between the check and the bind.
taken=" "
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$ephemeral_low" -gt 21000 ] || ephemeral_low=32768
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % (ephemeral_low - 20000)))
		case "$taken" in *" $p "*) continue ;; esac
		if [ -z "$(ss -Htuln "sport = :$p")" ]; then
			taken="$taken$p "
			printf -v "$1" %s "$p"
			return
		fi
	done
}

# start NAME CMD...: runs CMD in the background, its output in NAME.log.
start() {
	local name="$1"
	shift
	"$@" >"$work/$name.log" 2>&1 &
	pids+=("$!")
}

# wait_for WHAT CMD...: retries CMD for up to 30 s.
wait_for() {
	local what="$1"
	shift
	for _ in $(seq 300); do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1
	done
	echo "run.sh: $what did not come up; logs in $work (kept until exit)" >&2
	tail -n 20 "$work"/*.log >&2 || true
	exit 1
}
# http_ok PORT PATH: GET answers 200 (bash's /dev/tcp, in a subshell so a
# refused connection fails only this check).
http_ok() (
	exec 3<>"/dev/tcp/127.0.0.1/$1"
	printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
	head -n1 <&3 | grep -q ' 200 '
)

# The lab: one process, its config written for the pollers.
lab_flags=(--lab-only --write-config "$work/lab.toml")
[ "${OUTAGE:-1}" = 0 ] || lab_flags+=(--outage)
start lab "$noctop" demo "${lab_flags[@]}"
wait_for "the lab" grep -q "config written" "$work/lab.log"

# The Alertmanager cluster: 3 members, each told of the others.
am_web=() am_gossip=()
for i in 0 1 2; do
	free_port web
	free_port gossip
	am_web+=("$web") am_gossip+=("$gossip")
done
sed "s|http://127.0.0.1:9099/alerts|$webhook|" "$here/alertmanager.yml" >"$work/alertmanager.yml"
for i in 0 1 2; do
	peers=()
	for j in 0 1 2; do [ "$i" = "$j" ] || peers+=("--cluster.peer=127.0.0.1:${am_gossip[$j]}"); done
	start "alertmanager$i" "$alertmanager" --config.file="$work/alertmanager.yml" --storage.path="$work/am$i" \
		--web.listen-address="127.0.0.1:${am_web[$i]}" --cluster.listen-address="127.0.0.1:${am_gossip[$i]}" \
		"${peers[@]}"
done

# The pollers' alerts go to every member of the cluster.
cat >>"$work/lab.toml" <<TOML

[[notify]]
name = "alertmanager"
type = "alertmanager"
urls = ["http://127.0.0.1:${am_web[0]}", "http://127.0.0.1:${am_web[1]}", "http://127.0.0.1:${am_web[2]}"]
TOML

# 4 pollers: shards 0 and 1, two replicas each (an HA pair per shard).
poller=()
for shard in 0 1; do
	for replica in a b; do
		free_port port
		poller+=("$port")
		start "poller-$shard$replica" "$noctop" --headless --log-format json -c "$work/lab.toml" \
			--state-dir "$work/state-$shard$replica" --metrics-listen "127.0.0.1:$port" \
			--site lab --shard "$shard" --shards 2
	done
done

# Prometheus, with this directory's rules and the ports picked above.
free_port prom
sed -e "s|127.0.0.1:9201|127.0.0.1:${poller[0]}|; s|127.0.0.1:9202|127.0.0.1:${poller[1]}|" \
	-e "s|127.0.0.1:9203|127.0.0.1:${poller[2]}|; s|127.0.0.1:9204|127.0.0.1:${poller[3]}|" \
	-e "s|127.0.0.1:9093|127.0.0.1:${am_web[0]}|; s|127.0.0.1:9193|127.0.0.1:${am_web[1]}|; s|127.0.0.1:9293|127.0.0.1:${am_web[2]}|" \
	"$here/prometheus.yml" >"$work/prometheus.yml"
cp "$here/rules.yml" "$here/alerts.yml" "$work/"
start prometheus "$prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prometheus" \
	--web.listen-address="127.0.0.1:$prom"

for i in 0 1 2; do wait_for "alertmanager $i" http_ok "${am_web[$i]}" /-/ready; done
for p in "${poller[@]}"; do wait_for "poller on :$p" http_ok "$p" /metrics; done
wait_for prometheus http_ok "$prom" /-/ready

cat <<TEXT
noctop scale-out recipe running on loopback (files and logs in $work):
  lab          $work/lab.toml
  pollers      shard 0: 127.0.0.1:${poller[0]} 127.0.0.1:${poller[1]}   shard 1: 127.0.0.1:${poller[2]} 127.0.0.1:${poller[3]}
  prometheus   http://127.0.0.1:$prom
  alertmanager http://127.0.0.1:${am_web[0]} http://127.0.0.1:${am_web[1]} http://127.0.0.1:${am_web[2]}
  webhook      $webhook
the estate-wide view:
  $noctop view --prom http://127.0.0.1:$prom --am http://127.0.0.1:${am_web[0]}
Ctrl-C stops everything.
TEXT
# Until interrupted, or until any process exits on its own.
wait -n "${pids[@]}" || true
echo "run.sh: a process exited; stopping (logs were in $work):" >&2
tail -n 5 "$work"/*.log >&2 || true
