#!/usr/bin/env bash
# Prequential evaluation of the service's learner beside MOA's on drifting streams, in one run (issue #12):
#   bench/evaluate.sh                      # build, then every stream: tables on stdout, plots in target/eval/
#   bench/evaluate.sh --no-build ARGS...   # reuse the last build; ARGS go to the tool, e.g.
#   bench/evaluate.sh --no-build --streams sea-abrupt,my.csv --examples 20000 --mlp 'lr3e-3=mlp.optimizer.learning-rate=0.003'
# Options, streams and their exact MOA settings: eval/src/java/org/streamingmlp/eval/StreamEvaluation.java and
# Streams.java; the README ("How well it learns") shows the results. Fashion-MNIST is included when installed
# (apt-get install -y dataset-fashion-mnist). Every peer on every stream, MOA's forest on Fashion-MNIST included
# (most of the run: it starts first, the other streams run beside it); the README gives the measured wall clock.
# MOA is GPL-3.0: it is on the classpath of this tool only (Maven profile `eval`, test scope), never in the service.
set -euo pipefail
cd "$(dirname "$0")/.."

. bench/lib.sh
bench_env

OUT=target/eval
mkdir -p "$OUT"
start=$(date +%s)
if [ "${1:-}" != "--no-build" ]; then
  echo "[eval] building the service and the evaluation tool (./mvnw -Peval test-compile)" >&2
  bench_classpath "$OUT" -Peval test-compile
else
  shift
fi
[ -f "$OUT/cp.txt" ] || { echo "no $OUT/cp.txt: run without --no-build" >&2; exit 1; }

java -Xmx6g -XX:+UseParallelGC -Djava.awt.headless=true -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" \
  org.streamingmlp.eval.StreamEvaluation --parallel 2 --out "$OUT" "$@"
echo "[eval] whole run, build included: $(( $(date +%s) - start )) s" >&2
