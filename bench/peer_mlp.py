"""The PyTorch peer of streaming-mlp's model and recipe, shared by the two peer benchmarks.

Model: Linear-ReLU-Dropout(0.2) blocks 784-256-256-10 (Xavier-uniform weights, zero biases, as the service).
Recipe: AdamW (lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01 on every parameter), linear warmup over 20
steps then cosine to `min_lr` over `total_steps` (restarting, as the service's mlp.schedule.warm-restarts=true),
clip_grad_norm_(1.0), cross-entropy, float32.
"""
import ctypes
import glob
import gzip
import math
import os
import struct

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def threads(n=2):
    """Torch intra-op threads: the machine's two cores (streaming-mlp runs one OpenBLAS thread + AdamW's helper)."""
    torch.set_num_threads(n)
    return torch.get_num_threads()


def flush_denormal(on=True):
    """Subnormal floats flushed to zero (torch.set_flush_denormal): late in training, AdamW's moments of weights whose
    gradient stays zero decay into subnormals, which x86 computes on in microcode; PyTorch's batch-64 epochs slowed by
    ~17% without it on the 2-core machine. streaming-mlp's AdamW avoids them by zeroing negligible moments, so the peer
    gets the same speed by PyTorch's own switch. Returns whether it is on (False where the CPU does not support it)."""
    return bool(torch.set_flush_denormal(on)) and on


def blas_info():
    """Which BLAS torch's process loaded, and OpenBLAS's core type and thread count if it is OpenBLAS."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps")
                   if ("blas" in line or "lapack" in line) and line.split()[-1].startswith("/")})
    info = {"libraries": libs, "corename": None, "threads": None}
    for path in libs:
        if "openblas" in os.path.basename(path):
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                info["corename"] = lib.openblas_get_corename().decode()
                info["threads"] = lib.openblas_get_num_threads()
            except (OSError, AttributeError):
                pass
            break
    return info


def make_model(sizes=(784, 256, 256, 10), dropout=0.2, seed=42):
    torch.manual_seed(seed)
    layers = []
    for i in range(len(sizes) - 1):
        linear = nn.Linear(sizes[i], sizes[i + 1])
        nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            layers += [nn.ReLU(), nn.Dropout(dropout)]
    return nn.Sequential(*layers)


def make_optimizer(model, total_steps, warmup=20, lr=1e-3, min_lr=0.0, restarts=False, foreach=None):
    kwargs = {} if foreach is None else {"foreach": foreach}
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01,
                                  **kwargs)

    def factor(step):   # multiplies lr; step = optimizer steps taken so far
        if step < warmup:
            return (step + 1) / warmup
        t = step - warmup
        if restarts:
            t %= total_steps
        else:
            t = min(t, total_steps)
        return (min_lr + (lr - min_lr) * 0.5 * (1 + math.cos(math.pi * t / total_steps))) / lr

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def train_step(model, optimizer, scheduler, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    scheduler.step()
    return loss.item()


def load_idx(directory, prefix):
    """Fashion-MNIST IDX files (Debian's dataset-fashion-mnist): float32 images in [0, 1], int64 labels."""
    def read(name):
        path = os.path.join(directory, name)
        opener = gzip.open if not os.path.exists(path) else open
        with opener(path if os.path.exists(path) else path + ".gz", "rb") as f:
            return f.read()
    raw = read(prefix + "-images-idx3-ubyte")
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    assert magic == 0x803, "not an IDX image file"
    images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols).astype(np.float32) / 255.0
    raw = read(prefix + "-labels-idx1-ubyte")
    assert struct.unpack(">I", raw[:4])[0] == 0x801, "not an IDX label file"
    labels = np.frombuffer(raw, dtype=np.uint8, offset=8).astype(np.int64)
    return images, labels
