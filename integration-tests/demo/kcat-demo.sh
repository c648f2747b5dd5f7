#!/usr/bin/env bash
# End-to-end demo with an outside Kafka client (kcat, Debian package `kcat`), against a running service:
#   terminal 1: ./mvnw quarkus:dev -Ddemo.enabled=false -Dmlp.model.input-size=4 -Dmlp.model.hidden-sizes=64,64 \
#                 -Dmlp.model.output-size=3 -Dmlp.model.class-names= -Dmlp.model.dropout=0
#               (the service and its embedded broker on localhost:9092, without the Fashion-MNIST demo and its sizes)
#   terminal 2: integration-tests/demo/kcat-demo.sh [bootstrap]
# Produces 2,000 labelled examples of a separable problem (three Gaussian blobs in 4-d) to mlp.train and
# 200 to mlp.validation, waits for the trainer, sends 100 prediction requests to mlp.predict, reads the 100
# answers from mlp.predictions and prints their accuracy and the latest report from mlp.metrics.
set -euo pipefail
BROKER=${1:-localhost:9092}
RUN=${RUN:-$(date +%s)}
command -v kcat >/dev/null || { echo "kcat is needed: apt-get install -y kcat" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# key<TAB>json lines; label is written to a side file for the requests.
blobs() { # count seed kind(train|request)
  awk -v n="$1" -v seed="$2" -v kind="$3" -v run="$RUN" 'BEGIN {
    srand(seed); split("2 0 -1 1|-2 1 1 -1|0 -2 2 0", c, "|")
    for (i = 0; i < n; i++) {
      y = int(rand() * 3); split(c[y + 1], m, " "); f = ""
      for (j = 1; j <= 4; j++) {
        u = rand(); v = rand(); if (u < 1e-12) u = 1e-12
        g = sqrt(-2 * log(u)) * cos(6.283185307 * v)
        f = f (j > 1 ? "," : "") sprintf("%.4f", m[j] + 0.5 * g)
      }
      id = kind "-" run "-" i
      if (kind == "r") { printf "%s\t{\"id\":\"%s\",\"features\":[%s]}\n", id, id, f; print id, y > "/dev/stderr" }
      else printf "%s\t{\"id\":\"%s\",\"features\":[%s],\"label\":%d}\n", id, id, f, y
    }}'
}

blobs 2000 1 e | kcat -b "$BROKER" -P -t mlp.train -K$'\t'
blobs 200 2 v | kcat -b "$BROKER" -P -t mlp.validation -K$'\t'
echo "produced 2000 training and 200 validation examples; waiting for the trainer"
for _ in $(seq 60); do
  # the metrics topic appears with the first report; until then kcat fails and we wait
  seen=$( (kcat -b "$BROKER" -C -t mlp.metrics -o -1 -e -q 2>/dev/null || true) | tail -1 | sed -n 's/.*"examplesSeen":\([0-9]*\).*/\1/p')
  [ "${seen:-0}" -ge 2000 ] && break; sleep 1
done
echo "trainer has seen ${seen:-0} examples"

blobs 100 3 r 2> "$work/truth" | kcat -b "$BROKER" -P -t mlp.predict -K$'\t'
echo "sent 100 prediction requests"
for _ in $(seq 60); do
  (kcat -b "$BROKER" -C -t mlp.predictions -o beginning -e -q 2>/dev/null || true) | grep "\"r-$RUN-" > "$work/answers" || true
  [ "$(cut -d'"' -f4 "$work/answers" | sort -u | wc -l)" -ge 100 ] && break; sleep 1
done
awk 'NR == FNR { truth[$1] = $2; next }
     { match($0, /"id":"[^"]*"/); id = substr($0, RSTART + 6, RLENGTH - 7)
       match($0, /"prediction":[0-9]+/); p = substr($0, RSTART + 13, RLENGTH - 13)
       if (!(id in seen)) { seen[id] = 1; n++; if (truth[id] == p) ok++ } }
     END { printf "received %d of 100 predictions, accuracy %.2f\n", n, (n ? ok / n : 0); exit (n == 100 ? 0 : 1) }' \
  "$work/truth" "$work/answers"
echo "latest metrics report:"; kcat -b "$BROKER" -C -t mlp.metrics -o -1 -e -q
