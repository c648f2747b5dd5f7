#!/usr/bin/env bash
# A real dataset streaming through the service: Fashion-MNIST (Debian package dataset-fashion-mnist).
#   terminal 1: set -a; . config/fashion-mnist.env; set +a; ./mvnw quarkus:dev -Ddemo.enabled=false
# (dev mode streams Fashion-MNIST by itself unless demo.enabled=false; the feed command replaces this script:
#  java -jar target/quarkus-app/quarkus-run.jar feed /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ...)
#   terminal 2: integration-tests/demo/fashion-mnist-demo.sh [bootstrap] [training-examples]
# Streams the first N training images (default 50000) to mlp.train and the last 10,000 to mlp.validation, waits
# until the trainer has seen them, asks for predictions of the 10,000 test images on mlp.predict and prints the
# accuracy of the answers and the latest metrics report. Needs kcat and a JDK (for the record converter).
set -euo pipefail
BROKER=${1:-localhost:9092}
TRAIN=${2:-50000}
DATA=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
HERE=$(dirname "$0")
command -v kcat >/dev/null || { echo "kcat is needed: apt-get install -y kcat" >&2; exit 1; }
[ -f "$DATA/train-images-idx3-ubyte.gz" ] || { echo "no Fashion-MNIST in $DATA: apt-get install -y dataset-fashion-mnist" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
records() { java "$HERE/FashionMnistRecords.java" "$DATA" "$@"; }

start=$(date +%s)
records train examples 50000 10000 | kcat -b "$BROKER" -P -t mlp.validation -K$'\t' -X message.max.bytes=1000000
records train examples 0 "$TRAIN" | kcat -b "$BROKER" -P -t mlp.train -K$'\t' -X message.max.bytes=1000000
echo "streamed $TRAIN training and 10000 validation images in $(( $(date +%s) - start )) s; waiting for the trainer"
for _ in $(seq 600); do
  seen=$( (kcat -b "$BROKER" -C -t mlp.metrics -o -1 -e -q 2>/dev/null || true) | tail -1 | sed -n 's/.*"examplesSeen":\([0-9]*\).*/\1/p')
  [ "${seen:-0}" -ge "$TRAIN" ] && break; sleep 1
done
echo "the trainer has seen ${seen:-0} examples"

records t10k requests 0 10000 2> "$work/truth" | kcat -b "$BROKER" -P -t mlp.predict -K$'\t' -X message.max.bytes=1000000
for _ in $(seq 120); do
  (kcat -b "$BROKER" -C -t mlp.predictions -o beginning -e -q 2>/dev/null || true) | grep '"t10k-' > "$work/answers" || true
  [ "$(cut -d'"' -f4 "$work/answers" | sort -u | wc -l)" -ge 10000 ] && break; sleep 1
done
awk 'NR == FNR { truth[$1] = $2; next }
     { match($0, /"id":"[^"]*"/); id = substr($0, RSTART + 6, RLENGTH - 7)
       match($0, /"prediction":[0-9]+/); p = substr($0, RSTART + 13, RLENGTH - 13)
       if (!(id in seen)) { seen[id] = 1; n++; if (truth[id] == p) ok++ } }
     END { printf "received %d of 10000 predictions, test accuracy %.4f\n", n, (n ? ok / n : 0); exit (n == 10000 ? 0 : 1) }' \
  "$work/truth" "$work/answers"
echo "latest metrics report:"; kcat -b "$BROKER" -C -t mlp.metrics -o -1 -e -q
