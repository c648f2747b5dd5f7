#!/usr/bin/env python3
"""Per-thread CPU of the bench's service JVM: where the trainer thread's time goes, and who takes the cores.

  bench/threads.py sample OUT [INTERVAL]   # start before bench/run.sh; waits for the service JVM started from this
                                           # checkout (its cwd, -Dquarkus.http.port on its command line), samples it
                                           # every INTERVAL s (0.25) until it exits; JSON lines in OUT
  bench/threads.py report OUT [--series]   # the table: over the window in which mlp-trainer ran (> 20% of each
                                           # interval, i.e. from its first to its last batch) and its last 2/3

Per sample, for every thread: /proc/<pid>/task/<tid>/schedstat (ns on a CPU, ns runnable but waiting in a run
queue, time slices) and the voluntary / nonvoluntary context switches of .../status; the machine's /proc/stat; the
CPU ticks of every java process (broker, harness). Shares are of wall time: run + run-queue wait + blocked = 100%
for one thread; "blocked" (sleeping: waiting for data, a lock, a safepoint, the step helper) is shown for the
trainer and the step helper. A thread is woken voluntarily after it blocked, nonvoluntarily when preempted.
Example (bench/README.md "What the trainer thread does"):

  python3 bench/threads.py sample /tmp/t.jsonl & \
  BENCH_OPTS="-Dbench.skip=raw,torch,peers,json,capacity,memory,freshness,kafka,http,relay" bench/run.sh --no-build
  python3 bench/threads.py report /tmp/t.jsonl
"""
import collections
import json
import os
import re
import sys
import time

GROUPS = [(r'^mlp-trainer', 'mlp-trainer'), (r'^step-helper', 'step-helper'), (r'^C2 Comp', 'JIT C2'),
          (r'^C1 Comp', 'JIT C1'), (r'^smallrye-kafka', 'SmallRye Kafka consumer threads'),
          (r'^executor-thread', 'worker threads (decoding, GET /model)'), (r'^vert\.x-eventloo', 'Vert.x event loop'),
          (r'^(GC Thread|G1 |VM Thread|VM Periodic)', 'GC and VM threads'), (r'kafka-producer', 'Kafka producers'),
          (r'^mlp-model-publi', 'mlp-model-publisher')]


def group(comm):
    for pattern, name in GROUPS:
        if re.search(pattern, comm):
            return name
    return 'other (' + comm + ')'


def find_service(cwd):
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            cmd = open(f'/proc/{p}/cmdline', 'rb').read().split(b'\0')
            if (b'java' in cmd[0] and any(a.startswith(b'-Dquarkus.http.port') for a in cmd)
                    and os.readlink(f'/proc/{p}/cwd') == cwd):
                return int(p)
        except OSError:
            pass
    return None


def java_ticks():
    ticks = {}
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            stat = open(f'/proc/{p}/stat').read()
        except OSError:
            continue
        if stat[stat.index('(') + 1:stat.rindex(')')] == 'java':
            fields = stat[stat.rindex(')') + 2:].split()
            ticks[p] = int(fields[11]) + int(fields[12])   # utime + stime
    return ticks


def threads(pid):
    out = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            comm = open(f'/proc/{pid}/task/{tid}/comm').read().strip()
            run, wait, slices = (int(x) for x in open(f'/proc/{pid}/task/{tid}/schedstat').read().split())
            switches = {}
            for line in open(f'/proc/{pid}/task/{tid}/status'):
                if 'ctxt_switches:' in line:
                    key, value = line.split(':')
                    switches[key] = int(value)
            out[tid] = [comm, run, wait, slices, switches['voluntary_ctxt_switches'],
                        switches['nonvoluntary_ctxt_switches']]
        except (OSError, KeyError, ValueError):
            pass   # the thread ended meanwhile
    return out


def sample(path, interval):
    cwd = os.getcwd()
    pid = None
    while pid is None:
        pid = find_service(cwd)
        time.sleep(0.05)
    with open(path, 'w') as out:
        out.write(json.dumps({'pid': pid}) + '\n')
        while os.path.exists(f'/proc/{pid}'):
            t = time.time()
            try:
                tasks = threads(pid)
            except FileNotFoundError:
                break
            cpu = [int(x) for x in open('/proc/stat').readline().split()[1:]]
            out.write(json.dumps({'t': t, 'tasks': tasks, 'cpu': cpu, 'javas': java_ticks(),
                                  'load': open('/proc/loadavg').read().split()[0]}) + '\n')
            out.flush()
            time.sleep(max(0.0, interval - (time.time() - t)))


def table(samples, pid, s0, s1, title):
    a, b = samples[s0], samples[s1]
    wall = b['t'] - a['t']
    print(f"{title}: {wall:.2f} s, load average {a['load']} -> {b['load']}")
    cpu = [y - x for x, y in zip(a['cpu'], b['cpu'])]
    cores = os.cpu_count()
    print(f"machine busy {cores * (sum(cpu) - cpu[3] - cpu[4]) / sum(cpu):.2f} of {cores} cores; java processes "
          + ", ".join(f"{p}{' (service)' if int(p) == pid else ''} {(b['javas'][p] - a['javas'].get(p, 0)) / 100 / wall:.2f}"
                      for p in sorted(b['javas'], key=lambda p: a['javas'].get(p, 0) - b['javas'][p])
                      if b['javas'][p] - a['javas'].get(p, 0) > 0))
    groups = collections.defaultdict(lambda: [0] * 6)
    for tid, v in b['tasks'].items():
        before = a['tasks'].get(tid, [v[0], 0, 0, 0, 0, 0])
        g = groups[group(v[0])]
        for k in range(1, 6):
            g[k - 1] += v[k] - before[k]
        g[5] += 1
    print('| thread | threads | on a CPU | waiting in the run queue | blocked | voluntary switches/s '
          '| nonvoluntary/s |')
    print('|---|---|---|---|---|---|---|')
    total = 0
    for name, (run, wait, _, vol, nonvol, n) in sorted(groups.items(), key=lambda g: -g[1][0]):
        total += run
        if run / 1e9 / wall < 0.003:
            continue
        blocked = f'{1 - (run + wait) / 1e9 / wall:.1%}' if n == 1 else ''
        print(f'| {name} | {n} | {run / 1e9 / wall:.1%} | {wait / 1e9 / wall:.1%} | {blocked} '
              f'| {vol / wall:,.0f} | {nonvol / wall:,.0f} |')
    print(f'service: {total / 1e9 / wall:.2f} cores\n')


def report(path, series):
    lines = [json.loads(line) for line in open(path)]
    pid, samples = lines[0]['pid'], lines[1:]
    trainer = next((tid for s in samples for tid, v in s['tasks'].items() if v[0] == 'mlp-trainer'), None)
    if trainer is None:
        sys.exit('no mlp-trainer thread in ' + path)
    busy = []
    for a, b in zip(samples, samples[1:]):
        ta, tb = a['tasks'].get(trainer), b['tasks'].get(trainer)
        busy.append(bool(ta and tb and (tb[1] - ta[1]) / ((b['t'] - a['t']) * 1e9) > 0.2))
    if True not in busy:
        sys.exit('mlp-trainer never ran more than 20% of an interval')
    first, last = busy.index(True), len(busy) - busy[::-1].index(True)   # intervals [first, last)
    table(samples, pid, first, last, 'mlp-trainer busy')
    table(samples, pid, first + (last - first) // 3, last, 'its last 2/3')
    if series:
        for a, b in zip(samples[first:last], samples[first + 1:last + 1]):
            ta, tb, dt = a['tasks'][trainer], b['tasks'][trainer], (b['t'] - a['t']) * 1e9
            print(f"{b['t'] - samples[first]['t']:6.2f} s  mlp-trainer on a CPU {(tb[1] - ta[1]) / dt:6.1%}  "
                  f"run queue {(tb[2] - ta[2]) / dt:6.1%}  voluntary {tb[4] - ta[4]:4d}  nonvoluntary {tb[5] - ta[5]:4d}")


if __name__ == '__main__':
    if len(sys.argv) >= 3 and sys.argv[1] == 'sample':
        sample(sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 0.25)
    elif len(sys.argv) >= 3 and sys.argv[1] == 'report':
        report(sys.argv[2], '--series' in sys.argv)
    else:
        sys.exit(__doc__)
