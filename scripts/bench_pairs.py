"""What the Python peers of the benchmarks share: the pairs as the model reads them (party
marked in the text), and the timing (batch 1 on the first 100, then batches of 32 sorted by
length, twice), so that every framework is timed the same way."""
import json
import time


def read_inputs(pairs_path):
    """(target, text with the target's span marked [ ]) per JSON line."""
    def mark(p):
        s, e = p.get("target_span") or (0, 0)
        t = p["text"]
        return t if s == e else t[:s] + "[" + t[s:e] + "]" + t[e:]
    return [(p["target"], mark(p)) for p in map(json.loads, open(pairs_path))]


def measure(run, inputs, tok):
    """Pairs per second at batch 1 and at batch 32; `run(batch)` scores a list of inputs."""
    run(inputs[:8])  # warm-up
    n1 = min(100, len(inputs))
    t = time.time()
    for x in inputs[:n1]:
        run([x])
    b1 = n1 / (time.time() - t)
    order = sorted(range(len(inputs)), key=lambda i: len(tok(inputs[i][0], inputs[i][1])["input_ids"]))
    t = time.time()
    reps = 2
    for _ in range(reps):
        for k in range(0, len(order), 32):
            run([inputs[i] for i in order[k:k + 32]])
    return b1, reps * len(inputs) / (time.time() - t)


def peak_rss_mb():
    return int([l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]) / 1024
