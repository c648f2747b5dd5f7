#!/usr/bin/env python3
"""End-to-end peer: what a user writes instead of streaming-mlp. A confluent-kafka consumer reads labelled
Fashion-MNIST records from a topic (the benchmark's pre-loaded one, JSON or the binary layout of the README) and
trains the same PyTorch MLP with the same recipe (peer_mlp.py) in batches of 64, as fast as it can. Measures from the
first to the last example learned, like the service's figure. Prints one JSON object on standard output.

    python3 bench/kafka_trainer.py --bootstrap localhost:9092 --topic bench.train.binary --format binary --count 60000

Needs python3-confluent-kafka and python3-torch (Debian packages).
"""
import argparse
import json
import struct
import sys
import time
import uuid

import numpy as np
import torch
from confluent_kafka import Consumer, KafkaError

sys.path.insert(0, __import__("os").path.dirname(__file__))
import peer_mlp  # noqa: E402

HEADER = struct.Struct("<3sBBBH")   # magic "MLP", version, kind, flags, id length


def decode_binary(value):
    """The README's binary example layout: header, id, feature count, float32 features, int32 class index."""
    _, _, _, _, id_len = HEADER.unpack_from(value, 0)
    offset = HEADER.size + id_len
    (count,) = struct.unpack_from("<I", value, offset)
    offset += 4
    features = np.frombuffer(value, dtype="<f4", count=count, offset=offset)
    (label,) = struct.unpack_from("<i", value, offset + 4 * count)
    return features, label


def decode_json(value):
    record = json.loads(value)
    return np.asarray(record["features"], dtype=np.float32), int(record["label"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--format", choices=["binary", "json"], required=True)
    parser.add_argument("--count", type=int, default=60000, help="examples to learn, then stop")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="stop learning after this long even before --count (machines shared with other builds)")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up when the topic has too few records")
    parser.add_argument("--keep-denormals", action="store_true",
                        help="PyTorch's default arithmetic on subnormal floats (slower late in training)")
    args = parser.parse_args()
    threads = peer_mlp.threads(args.threads)
    flush = peer_mlp.flush_denormal(not args.keep_denormals)
    decode = decode_binary if args.format == "binary" else decode_json

    model = peer_mlp.make_model()
    model.train()
    # The service's schedule: warmup 20, cosine over 10,000 steps to 1e-5, warm restarts.
    optimizer, scheduler = peer_mlp.make_optimizer(model, total_steps=10000, warmup=20, min_lr=1e-5, restarts=True)
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "bench-peer-" + uuid.uuid4().hex,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([args.topic])
    xs, ys = [], []
    learned, steps, first, last = 0, 0, None, None
    args.count -= args.count % args.batch   # whole batches only: a partial last batch would wait forever
    started = time.perf_counter()
    while (learned < args.count and time.perf_counter() - started < args.timeout
           and (first is None or time.perf_counter() - first < args.max_seconds)):
        for message in consumer.consume(num_messages=500, timeout=0.5):
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    raise RuntimeError(message.error())
                continue
            features, label = decode(message.value())
            xs.append(features)
            ys.append(label)
            if len(xs) == args.batch:
                x = torch.from_numpy(np.stack(xs))
                y = torch.tensor(ys, dtype=torch.int64)
                peer_mlp.train_step(model, optimizer, scheduler, x, y)
                xs, ys = [], []
                learned += args.batch
                steps += 1
                last = time.perf_counter()
                if first is None:
                    first = last
                if learned >= args.count or last - first >= args.max_seconds:
                    break
    consumer.close()
    seconds = (last - first) if first is not None and last is not None else float("nan")
    counted = learned - args.batch   # the first batch's end starts the clock
    print(json.dumps({"format": args.format, "topic": args.topic, "examples": learned, "steps": steps,
                      "stoppedByTimeBudget": learned < args.count,
                      "seconds": seconds,
                      "examplesPerSecond": counted / seconds if seconds and seconds > 0 else None,
                      "threads": threads, "torch": torch.__version__, "blas": peer_mlp.blas_info(),
                      "flushDenormal": flush}))


if __name__ == "__main__":
    main()
