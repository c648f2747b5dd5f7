#!/usr/bin/env bash
# Fashion-MNIST learned once through Kafka by the packaged service, against the same learner in process on the same
# order, in one run (issue #12; README "How well it learns"):
#   bench/fashion-kafka.sh                 # build the package, then the run (about 2 minutes on 2 cores)
#   bench/fashion-kafka.sh --no-build      # reuse the last build
#   FASHION_OPTS="-Dfashion.partitions=3 -Dfashion.serviceProps=mlp.training.max-batch-wait=1s" bench/fashion-kafka.sh --no-build
# Settings: config/fashion-mnist.env (-Dfashion.env=...). What it does: src/test/java/org/streamingmlp/bench/
# FashionMnistThroughKafka.java. Needs Debian's dataset-fashion-mnist.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
bench_env
OUT=target/bench
mkdir -p "$OUT"
start=$(date +%s)
if [ "${1:-}" != "--no-build" ]; then
  bench_classpath "$OUT" package -DskipTests
fi
[ -f "$OUT/cp.txt" ] || { echo "no $OUT/cp.txt: run without --no-build" >&2; exit 1; }
# shellcheck disable=SC2086
java -Xmx2g -XX:+UseParallelGC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" -Dfashion.out="$OUT" ${FASHION_OPTS:-} \
  org.streamingmlp.bench.FashionMnistThroughKafka
echo "[fashion-kafka] whole run, build included: $(( $(date +%s) - start )) s" >&2
