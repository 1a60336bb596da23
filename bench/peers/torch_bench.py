"""PyTorch eager (CPU, one thread) on the workloads of bench/workloads.ts.

Run by scripts/bench.mjs with /usr/bin/python3.11; prints one JSON report (the LibraryReport shape of
bench/harness.ts) on stdout. Timing mirrors bench/harness.ts: warm up, then several samples of
enough calls to last `min_sample_ms`, median per call.
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)

W1_SIZES = [64, 256, 512]
W2 = dict(batch=64, inputs=784, hidden=128, classes=10, lr=0.01)
W3_OPS = 10_000
W3_SIZES = [1, 4]
W4 = dict(points=2000, iterations=2000, learning_rate=1e-6)


# 'wall' (elapsed) or 'cpu' (this process's CPU time), as bench/harness.ts's Clock.
clock = time.perf_counter


def timeit(fn, warmup_ms=300, warmup_calls=2, samples=7, min_sample_ms=25):
    calls = 0
    start = clock()
    while calls < warmup_calls or (clock() - start) * 1e3 < warmup_ms:
        fn()
        calls += 1
    per_call = (clock() - start) * 1e3 / calls
    reps = max(1, math.ceil(min_sample_ms / max(per_call, 1e-6)))
    out = []
    for _ in range(samples):
        t = clock()
        for _ in range(reps):
            fn()
        out.append((clock() - t) * 1e3 / reps)
    return statistics.median(out), min(out)


def millis(t, unit="ms"):
    return dict(value=t[0], unit=unit, higherIsBetter=False, medianMs=t[0], bestMs=t[1])


def uniform(n, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.rand(n, generator=g) * 2 - 1


def matmul(n):
    a = uniform(n * n, 1).reshape(n, n)
    b = uniform(n * n, 2).reshape(n, n)
    return lambda: torch.matmul(a, b)


def mlp_step():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(W2["inputs"], W2["hidden"]), torch.nn.ReLU(),
                                torch.nn.Linear(W2["hidden"], W2["classes"]))
    opt = torch.optim.SGD(model.parameters(), lr=W2["lr"])
    x = uniform(W2["batch"] * W2["inputs"], 3).reshape(W2["batch"], W2["inputs"])
    y = torch.randint(0, W2["classes"], (W2["batch"],))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return step


def tiny_ops(size):
    x = uniform(size, 4).requires_grad_()
    w = (1 + 0.001 * uniform(size, 5)).requires_grad_()
    b = (0.001 * uniform(size, 6)).requires_grad_()

    def run():
        h = x
        for _ in range(0, W3_OPS, 4):
            h = h.mul(w).add(b).sub(x).div(w)
        h.sum().backward()
        x.grad = None
        w.grad = None
        b.grad = None
    return run


def poly_fit():
    # "Learning PyTorch with Examples", tensors and autograd, verbatim (printing replaced by .item()).
    def run():
        torch.manual_seed(0)
        x = torch.linspace(-math.pi, math.pi, W4["points"])
        y = torch.sin(x)
        a = torch.randn((), requires_grad=True)
        b = torch.randn((), requires_grad=True)
        c = torch.randn((), requires_grad=True)
        d = torch.randn((), requires_grad=True)
        learning_rate = W4["learning_rate"]
        for t in range(W4["iterations"]):
            y_pred = a + b * x + c * x ** 2 + d * x ** 3
            loss = (y_pred - y).pow(2).sum()
            if t % 100 == 99:
                loss.item()
            loss.backward()
            with torch.no_grad():
                a -= learning_rate * a.grad
                b -= learning_rate * b.grad
                c -= learning_rate * c.grad
                d -= learning_rate * d.grad
                a.grad = None
                b.grad = None
                c.grad = None
                d.grad = None
    return run


def attempt(results, key, body):
    try:
        results[key] = body()
    except Exception as e:  # report, don't hide the other workloads
        results[key] = dict(error=f"{type(e).__name__}: {e}"[:300])


def main():
    global clock
    only = sys.argv[1].split(",") if len(sys.argv) > 1 and sys.argv[1] else None
    if len(sys.argv) > 2 and sys.argv[2] == "cpu":
        clock = time.process_time
    want = lambda w: only is None or w in only
    results = {}
    if want("W1"):
        for n in W1_SIZES:
            def w1(n=n):
                t = timeit(matmul(n))
                return dict(value=2 * n ** 3 / (t[0] * 1e6), unit="GFLOP/s", higherIsBetter=True, medianMs=t[0], bestMs=t[1])
            attempt(results, f"W1 matmul n={n}", w1)
    if want("W2"):
        attempt(results, "W2 MLP step", lambda: millis(timeit(mlp_step()), "ms/step"))
    if want("W3"):
        for size in W3_SIZES:
            attempt(results, f"W3 10k tiny ops ({size} el.) + backward",
                    lambda size=size: millis(timeit(tiny_ops(size), warmup_calls=2, warmup_ms=500, samples=5, min_sample_ms=0)))
    if want("W4"):
        attempt(results, "W4 polynomial fit",
                lambda: millis(timeit(poly_fit(), warmup_calls=1, warmup_ms=0, samples=5, min_sample_ms=0)))
    print(json.dumps(dict(library="PyTorch eager", version=torch.__version__, results=results,
                          notes=[f"torch.set_num_threads(1): {torch.get_num_threads()} thread"])))


if __name__ == "__main__":
    main()
