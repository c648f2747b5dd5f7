#!/usr/bin/env bash
# The whole benchmark of issue #9 in one command (about 8-10 minutes on a 2-core machine, build included):
#   bench/run.sh                 # build, then every figure; table on stdout, JSON in target/bench/results.json
#   bench/run.sh --no-build      # reuse the last build
#   BENCH_OPTS="-Dbench.skip=torch,peers -Dbench.quick=true" bench/run.sh
#   BENCH_SERVICE_JVM="-XX:StartFlightRecording=filename=/tmp/s.jfr" bench/run.sh   # more service JVM options
#   BENCH_HARNESS_JVM / BENCH_BROKER_JVM replace the harness's / the broker's JVM options
# Needs: a JDK 17; Debian's dataset-fashion-mnist; for the peers python3-torch libopenblas0-pthread and
# python3-confluent-kafka (apt-get install -y dataset-fashion-mnist python3-torch libopenblas0-pthread
# python3-confluent-kafka). Figures and their meaning: bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
bench_env

DATA=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
PYTHON=${BENCH_PYTHON:-/usr/bin/python3}   # Debian's python3, where python3-torch lives (not a pyenv shim)
OUT=target/bench
mkdir -p "$OUT"

if [ ! -f "$DATA/train-images-idx3-ubyte.gz" ] && [ ! -f "$DATA/train-images-idx3-ubyte" ]; then
  echo "no Fashion-MNIST in $DATA: apt-get install -y dataset-fashion-mnist" >&2; exit 1
fi
if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "note: $PYTHON cannot import torch, the PyTorch peers are skipped:" \
       "apt-get install -y python3-torch libopenblas0-pthread python3-confluent-kafka" >&2
elif ! "$PYTHON" -c 'import confluent_kafka' 2>/dev/null; then
  echo "note: the Python consumer peer is skipped: apt-get install -y python3-confluent-kafka" >&2
fi

start=$(date +%s)
if [ "${1:-}" != "--no-build" ]; then
  echo "[bench] building the service and the benchmark classes (./mvnw package -DskipTests)"
  bench_classpath "$OUT" package -DskipTests
  echo "[bench] build took $(( $(date +%s) - start )) s"
fi
[ -f "$OUT/cp.txt" ] || { echo "no $OUT/cp.txt: run without --no-build" >&2; exit 1; }

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit+uncommitted"
# The harness JVM (load generators, answer readers, the data sets); BENCH_HARNESS_JVM replaces its options.
# shellcheck disable=SC2086
java ${BENCH_HARNESS_JVM:--Xmx3g -XX:+UseParallelGC} -Djava.util.logging.manager=org.jboss.logmanager.LogManager --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" \
  -Dbench.data="$DATA" -Dbench.python="$PYTHON" -Dbench.out="$OUT" -Dbench.commit="$commit" \
  -Dbench.ompWaitPolicy="${BENCH_OMP_WAIT_POLICY:-}" -Dbench.serviceJvm="${BENCH_SERVICE_JVM:-}" \
  -Dbench.brokerJvm="${BENCH_BROKER_JVM:--Xmx1g}" ${BENCH_OPTS:-} \
  org.streamingmlp.bench.ServiceBenchmark
echo "[bench] whole run, build included: $(( $(date +%s) - start )) s"
