#!/usr/bin/env python3
"""Raw-trainer peer of TrainingBenchmark: the same MLP and recipe in PyTorch (peer_mlp.py), examples/s per epoch over
the 60,000 Fashion-MNIST training images, reshuffled every epoch, the epoch's batches sliced before its clock starts
(as TrainingBenchmark does). Prints one JSON object on the last line of standard output.

    python3 bench/torch_trainer.py [--data /usr/share/datasets/fashion-mnist] [--batches 64,256] [--epochs 3]
                                   [--warmup-epochs 0]
    python3 bench/torch_trainer.py --calibrate 3      # steps/s at batch 64 on random data for 3 s (thread settings)

Each batch size stops after --max-seconds (default 60), mid-epoch if need be: on a machine shared with other
builds an epoch can take minutes, and the run has a 10-minute budget.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch

sys.path.insert(0, __import__("os").path.dirname(__file__))
import peer_mlp  # noqa: E402


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = (model(x).argmax(1) == y).sum().item()
    model.train()
    return correct / len(y)


def run(x, y, tx, ty, batch, epochs, foreach, max_seconds, warmup_epochs=0):
    """Median examples/s of `epochs` timed epochs after `warmup_epochs` (trained and printed, left out of the median,
    as TrainingBenchmark's -DwarmupEpochs; they count in the schedule's length and are never cut short)."""
    n = len(y)
    steps = n // batch
    model = peer_mlp.make_model()
    model.train()
    optimizer, scheduler = peer_mlp.make_optimizer(model, total_steps=steps * (warmup_epochs + epochs), warmup=20,
                                                   foreach=foreach)
    rng = np.random.default_rng(1)
    rates, warmup_rates, first_accuracy, spent, complete = [], [], None, 0.0, True
    for epoch in range(warmup_epochs + epochs):
        warming = epoch < warmup_epochs
        order = torch.from_numpy(rng.permutation(n)[: steps * batch])
        xs, ys = x[order], y[order]
        batches = [(xs[s * batch:(s + 1) * batch], ys[s * batch:(s + 1) * batch]) for s in range(steps)]
        t0 = time.perf_counter()
        loss, done = 0.0, 0
        for bx, by in batches:
            loss += peer_mlp.train_step(model, optimizer, scheduler, bx, by)
            done += 1
            # as TrainingBenchmark: the warm-up and the first timed epoch always complete
            if not warming and rates and done % 20 == 0 and spent + time.perf_counter() - t0 > max_seconds:
                complete = False
                break
        seconds = time.perf_counter() - t0
        spent += seconds
        (warmup_rates if warming else rates).append(done * batch / seconds)
        if epoch == 0 and complete:
            first_accuracy = accuracy(model, tx, ty)
        label = "warm-up epoch" if warming else "epoch"
        print(f"torch batch {batch} {label} {epoch + 1}: {done * batch / seconds:.0f} examples/s ({seconds:.2f} s, "
              f"{done} steps), mean train loss {loss / done:.4f}", file=sys.stderr)
        if not warming and (not complete or spent > max_seconds):
            break
    return {"batch": batch, "epochs": len(rates), "lastEpochComplete": complete,
            "examplesPerSecond": statistics.median(rates), "epochRates": rates, "warmupEpochRates": warmup_rates,
            "testAccuracyAfterEpoch1": first_accuracy}


def calibrate(seconds):
    """Steps at batch 64 on random data for `seconds` (after 10 warm-up steps): examples/s."""
    model = peer_mlp.make_model()
    model.train()
    optimizer, scheduler = peer_mlp.make_optimizer(model, total_steps=10000)
    x, y = torch.rand(64, 784), torch.randint(0, 10, (64,))
    for _ in range(10):
        peer_mlp.train_step(model, optimizer, scheduler, x, y)
    t0, steps = time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds or steps < 5:
        peer_mlp.train_step(model, optimizer, scheduler, x, y)
        steps += 1
    return steps * 64 / (time.perf_counter() - t0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--batches", default="64,256")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--warmup-epochs", type=int, default=0,
                        help="epochs trained before the timed ones, left out of the median (as TrainingBenchmark)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--foreach", choices=["default", "true", "false"], default="default",
                        help="AdamW's foreach implementation (default: PyTorch's choice)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time budget per batch size")
    parser.add_argument("--keep-denormals", action="store_true",
                        help="PyTorch's default arithmetic on subnormal floats (slower late in training)")
    parser.add_argument("--calibrate", type=float, default=0.0, help="only measure steps/s for this many seconds")
    args = parser.parse_args()
    threads = peer_mlp.threads(args.threads)
    flush = peer_mlp.flush_denormal(not args.keep_denormals)
    if args.calibrate > 0:
        print(json.dumps({"threads": threads, "examplesPerSecond": calibrate(args.calibrate),
                          "ompWaitPolicy": __import__("os").environ.get("OMP_WAIT_POLICY", "default")}))
        return
    foreach = {"default": None, "true": True, "false": False}[args.foreach]
    x, y = (torch.from_numpy(a) for a in peer_mlp.load_idx(args.data, "train"))
    tx, ty = (torch.from_numpy(a) for a in peer_mlp.load_idx(args.data, "t10k"))
    results = [run(x, y, tx, ty, int(b), args.epochs, foreach, args.max_seconds, args.warmup_epochs)
               for b in args.batches.split(",")]
    print(json.dumps({"torch": torch.__version__, "threads": threads, "blas": peer_mlp.blas_info(),
                      "adamwForeach": args.foreach, "flushDenormal": flush, "warmupEpochs": args.warmup_epochs,
                      "results": results}))


if __name__ == "__main__":
    main()
