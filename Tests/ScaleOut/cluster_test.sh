#!/bin/bash
# The scale-out test on real launchers (issue 13), run by `make test` as root:
#   1. a single-node Slurm (munged, slurmctld, slurmd from Debian) configured in a temporary folder,
#      on its own ports and its own munge socket, stopped at the end (by the pids it started);
#   2. `pipe slurm-script --workers 4` submitted: a 4-task array ingest of synthetic corpora plus the
#      merge as an afterok job; the store must equal a single-process ingest (SHA-256 of every shard,
#      the manifest byte for byte);
#   3. an array whose task 2 is killed (SIGKILL after it wrote one shard): the merge must not run,
#      `pipe merge` must name worker 2, and rerunning only task 2 (`bash submit.sh 2`) must give the same store;
#   4. `mpirun -n 2 pipe ingest …` (Open MPI, rank from the environment only) then `pipe merge`: same store.
# Any step that cannot run (no root, a daemon that does not start) FAILS with the reason: never a silent pass.
# Usage: Tests/ScaleOut/cluster_test.sh [path/to/pipe]   (default .build/debug/pipe)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PIPE=$(realpath "${1:-$REPO/.build/debug/pipe}")
fail() { echo "cluster test FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

[ "$(id -u)" -eq 0 ] || fail "must run as root (it starts munged, slurmctld and slurmd); CI runs make test as root"
[ -x "$PIPE" ] || fail "$PIPE is missing: build it first (swift build)"
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol scancel mpirun; do
  command -v "$tool" >/dev/null || fail "$tool is not installed: run make deps (DEBIAN_PACKAGES has munge slurmctld slurmd slurm-client openmpi-bin)"
done

W=$(mktemp -d /tmp/acousticpipe-cluster.XXXXXX) || fail "no temporary folder"
chmod 755 "$W"
PIDS=()
cleanup() {
  # Stop only the daemons this test started, by their pids, newest first.
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill "${PIDS[$i]}" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
HOST=$(hostname -s)

step "munge (private key and socket in $W/munge)"
mkdir -p "$W/munge" && chown munge:munge "$W/munge" && chmod 755 "$W/munge"
mungekey --create --keyfile="$W/munge/munge.key" >/dev/null 2>&1 \
  || dd if=/dev/urandom bs=1 count=1024 of="$W/munge/munge.key" 2>/dev/null
chown munge:munge "$W/munge/munge.key" && chmod 400 "$W/munge/munge.key"
SOCKET="$W/munge/munge.socket"
runuser -u munge -- munged -F --socket="$SOCKET" --key-file="$W/munge/munge.key" \
  --pid-file="$W/munge/munged.pid" --log-file="$W/munge/munged.log" --seed-file="$W/munge/munged.seed" &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
munge -n --socket="$SOCKET" | unmunge --socket="$SOCKET" 2>&1 | grep -q "STATUS: *Success" \
  || fail "munged did not start: $(tail -5 "$W/munge/munged.log" 2>/dev/null)"

step "slurm (ports of its own, configuration in $W/slurm)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CTLD_PORT=$(free_port); SLURMD_PORT=$(free_port)
mkdir -p "$W/slurm/state" "$W/slurm/spool" "$W/slurm/log"
NODE=$(slurmd -C | head -1)
[[ "$NODE" == NodeName=* ]] || fail "slurmd -C printed no node line: $NODE"
NODE=$(echo "$NODE" | sed 's/ *UpTime=.*//')
export SLURM_CONF="$W/slurm/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=apipe$$
SlurmctldHost=$HOST
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
SlurmUser=root
StateSaveLocation=$W/slurm/state
SlurmdSpoolDir=$W/slurm/spool
SlurmctldPidFile=$W/slurm/slurmctld.pid
SlurmdPidFile=$W/slurm/slurmd.pid
SlurmctldLogFile=$W/slurm/log/slurmctld.log
SlurmdLogFile=$W/slurm/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MinJobAge=600
$NODE State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -f "$SLURM_CONF" > "$W/slurm/log/slurmctld.out" 2>&1 &
PIDS+=($!)
sleep 1
slurmd -D -f "$SLURM_CONF" > "$W/slurm/log/slurmd.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %t 2>/dev/null | grep -q idle \
  || fail "the Slurm node did not become idle within 30 s: $(sinfo 2>&1 | tail -2); slurmctld: $(tail -3 "$W/slurm/log/slurmctld.log" 2>/dev/null); slurmd: $(tail -3 "$W/slurm/log/slurmd.log" 2>/dev/null)"

step "synthetic corpora and a single-process store"
"$PIPE" synth tau2020 cochlscene cas2023 --out "$W/data" --per-class 1 --duration 1 --seed 3 >/dev/null || fail "pipe synth"
sed -e 's/duration: 10.0/duration: 1.0/' -e 's/shard_rows: 128/shard_rows: 6/' "$REPO/pipelines/ingest.yaml" > "$W/short.yaml"
INGEST=(ingest tau2020 cochlscene cas2023 --pipeline "$W/short.yaml" --data "$W/data")
"$PIPE" "${INGEST[@]}" --out "$W/single" --threads 1 --progress none --accept-rejections > "$W/single.log" 2>&1 \
  || fail "single-process ingest: $(tail -5 "$W/single.log")"
SHARDS=$(ls "$W/single/shards/"*.json | wc -l)
[ "$SHARDS" -ge 8 ] || fail "the plan has $SHARDS shards; the test needs at least 8 to partition"

# same_store STORE: every shard file and the manifest equal the single-process store's.
same_store() {
  [ -f "$1/manifest.json" ] || fail "$1 has no manifest"
  (cd "$W/single" && sha256sum shards/*.h5 shards/part-*.json manifest.json catalog.jsonl plan.json) > "$W/expected.sha"
  (cd "$1" && sha256sum -c --quiet "$W/expected.sha") || fail "$1 differs from the single-process store (above)"
  [ "$(ls "$1/shards/"*.h5 | wc -l)" -eq "$(ls "$W/single/shards/"*.h5 | wc -l)" ] || fail "$1 holds another number of shard files"
  "$PIPE" verify "$1" >/dev/null || fail "pipe verify $1"
}
# wait_jobs ID...: until none of the jobs is pending or running (at most 240 s).
wait_jobs() {
  for _ in $(seq 480); do
    [ -z "$(squeue -h -j "$(IFS=,; echo "$*")" -t PD,R,CG 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  fail "jobs $* still queued after 240 s: $(squeue 2>&1)"
}
state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort -u | tr '\n' ' '; }

step "4-task array ingest plus the dependent merge (pipe slurm-script)"
cd "$W"
"$PIPE" slurm-script --workers 4 --cpus-per-task 1 --logs "$W/logs" -- "${INGEST[@]}" --out "$W/array" > "$W/submit.sh" \
  || fail "pipe slurm-script"
grep -q -- "--array=0-3" "$W/submit.sh" && grep -q -- "--dependency=afterok" "$W/submit.sh" || fail "the script lacks --array=0-3 or afterok"
read -r ARRAY MERGE < <(bash "$W/submit.sh") || fail "sbatch refused the script: $(cat "$W/submit.sh")"
[ -n "${MERGE:-}" ] || fail "submit.sh printed no job ids"
wait_jobs "$ARRAY" "$MERGE"
state "$ARRAY" | grep -qv "FAILED\|CANCELLED" || fail "array job $ARRAY: $(state "$ARRAY"); $(cat "$W"/logs/ingest-* | tail -20)"
[ "$(state "$MERGE")" = "JobState=COMPLETED " ] || fail "merge job $MERGE: $(state "$MERGE"); $(cat "$W"/logs/merge-* 2>/dev/null | tail)"
for task in 0 1 2 3; do
  grep -q "worker $task of 4 (SLURM_ARRAY_TASK_ID=$task" "$W/logs/ingest-${ARRAY}_$task.out" \
    || fail "task $task did not take its index from SLURM_ARRAY_TASK_ID: $(head -3 "$W/logs/ingest-${ARRAY}_$task.out")"
done
same_store "$W/array"
echo "array store equals the single-process store ($SHARDS shards)"

step "a killed array task, then a rerun of only that task"
# Task 2's first attempt writes one shard and then hangs (as a worker stuck on a dead node would),
# until this test kills it with SIGKILL; its rerun is the real pipe.
cat > "$W/pipe-once" <<WRAP
#!/bin/bash
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 2 ] && [ ! -e "$W/killed.marker" ]; then
  touch "$W/killed.marker"
  "$PIPE" "\$@" --stop-after-shards 1
  sleep 600
fi
exec "$PIPE" "\$@"
WRAP
chmod +x "$W/pipe-once"
"$PIPE" slurm-script --workers 4 --logs "$W/logs2" --pipe "$W/pipe-once" -- "${INGEST[@]}" --out "$W/killed" > "$W/submit2.sh"
read -r ARRAY2 MERGE2 < <(bash "$W/submit2.sh") || fail "sbatch refused the second script"
FIRST_OF_2=$(printf 'part-%05d' $((2 * SHARDS / 4)))
for _ in $(seq 240); do [ -f "$W/killed/shards/$FIRST_OF_2.json" ] && break; sleep 0.5; done
[ -f "$W/killed/shards/$FIRST_OF_2.json" ] || fail "task 2 never wrote its first shard: $(cat "$W"/logs2/ingest-*_2.out 2>/dev/null)"
sleep 1
scancel --signal=KILL --full "${ARRAY2}_2" || fail "scancel ${ARRAY2}_2"
wait_jobs "$ARRAY2" "$MERGE2"
[ "$(state "$MERGE2")" != "JobState=COMPLETED " ] || fail "the merge ran although task 2 was killed"
[ ! -f "$W/killed/manifest.json" ] || fail "a manifest was written although task 2 was killed"
"$PIPE" merge "$W/killed" > "$W/merge-killed.log" 2>&1 && fail "pipe merge succeeded on a store missing task 2's shards"
grep -q "owed by worker 2 of 4" "$W/merge-killed.log" || fail "pipe merge did not name worker 2: $(cat "$W/merge-killed.log")"
grep -q "owed by worker [013] of 4" "$W/merge-killed.log" && fail "pipe merge blamed another worker: $(cat "$W/merge-killed.log")"
read -r RERUN RERUN_MERGE < <(bash "$W/submit2.sh" 2) || fail "the rerun of task 2 was refused"
wait_jobs "$RERUN" "$RERUN_MERGE"
[ "$(state "$RERUN_MERGE")" = "JobState=COMPLETED " ] || fail "merge after the rerun: $(state "$RERUN_MERGE"); $(cat "$W"/logs2/* | tail -20)"
same_store "$W/killed"
echo "killed task 2 rerun alone: store equals the single-process store"

step "mpirun -n 2 (Open MPI; the rank from the environment only)"
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 \
  mpirun -n 2 --oversubscribe --bind-to none "$PIPE" "${INGEST[@]}" --out "$W/mpi" --threads 1 --progress none \
  --accept-rejections > "$W/mpi.log" 2>&1 || fail "mpirun -n 2 pipe ingest: $(tail -20 "$W/mpi.log")"
for rank in 0 1; do
  grep -q "worker $rank of 2 (OMPI_COMM_WORLD_RANK=$rank" "$W/mpi.log" || fail "rank $rank did not read OMPI_COMM_WORLD_RANK: $(head -20 "$W/mpi.log")"
done
[ ! -f "$W/mpi/manifest.json" ] || fail "an MPI rank wrote the manifest"
"$PIPE" merge "$W/mpi" > /dev/null || fail "pipe merge after mpirun"
same_store "$W/mpi"
echo "mpirun -n 2 store equals the single-process store"
echo "cluster test passed: Slurm array (4 tasks) + afterok merge, killed task rerun, mpirun -n 2"
