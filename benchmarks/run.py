"""Benchmark every lossbook cost and gradient against fused NumPy, scikit-learn, SciPy and PyTorch.

Run from the repository root::

    python -m benchmarks.run                      # full run (a few minutes): table + benchmarks/RESULTS.md
    python -m benchmarks.run --only huber mse     # cases whose name contains "huber" or "mse"
    python -m benchmarks.run --sizes 100 --out -  # one size, print only

scikit-learn, SciPy and PyTorch are optional; whichever is installed is measured. PyTorch must be
the CPU build: ``pip install torch==2.13.0`` (with that exact pin; see benchmarks/README.md).

Method (also written into RESULTS.md): all implementations of a case run on the same arrays,
interleaved in shuffled order, each timed in batches long enough for the clock; the reported
time is the minimum over the batches (the least-disturbed run; other processes share the CPU).
Peak extra memory is measured separately with tracemalloc at the largest size.
"""

from __future__ import annotations

import os

# NumPy's and SciPy's OpenBLAS (used by `@`, `np.dot`, `np.vdot`) would otherwise run even
# level-1 operations on several threads: every NumPy-based implementation here is timed on one
# core, like NumPy's ufuncs (see benchmarks/README.md for what threaded BLAS does to them).
# PyTorch's own threads are set explicitly below.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import datetime
import gc
import inspect
import math
import platform
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lossbook.losses import _compiled as compiled

from . import cases as C

#: Whether lossbook's compiled kernels are on (Numba installed, LOSSBOOK_COMPILED not 0).
COMPILED_AVAILABLE = compiled.ENABLED

HERE = Path(__file__).resolve().parent
SIZES = (100, 10_000, 1_000_000)

#: The targets (issues 6 and 12), as ratios measured in the same run.
SMALL, LARGE = 100, 1_000_000
MAX_VS_FUSED_SMALL = 3.0  # costs at n = 100, validation included
MIN_SPEEDUP_VS_SKLEARN_SMALL = 20.0  # costs at n = 100
#: costs and gradients at n = 10^6: arithmetic losses, and those dominated by exp, log or sqrt
MAX_VS_FUSED_LARGE = {"arithmetic": 1.25, "transcendental": 1.5}
MAX_VS_TORCH = {"arithmetic": 1.0, "transcendental": 1.5}  # at n = 10^6
MAX_PEAK_OVER_INPUT = 3.0  # costs at n = 10^6


# ----------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------
#: The clock of each implementation: CPU time of the calling thread for everything that runs on
#: one thread (robust when other jobs share the machine: time spent descheduled is not counted,
#: nor the time PyTorch's idle worker threads spend spinning after a multi-threaded call), wall
#: time for PyTorch on several threads (whose work is spread over threads).
CPU_CLOCK, WALL_CLOCK = time.thread_time, time.perf_counter


def _calibrate(f: Callable[[], Any], batch_seconds: float, clock: Callable[[], float]) -> tuple[int, float]:
    """Calls per batch so that a batch lasts about ``batch_seconds``, and the time of one call."""
    f()  # warm-up: first-call costs, page faults of fresh buffers
    number = 1
    while True:
        t0 = clock()
        for _ in range(number):
            f()
        dt = clock() - t0
        if dt >= batch_seconds or number >= 1 << 20:
            return number, dt / number
        number = max(2 * number, int(number * batch_seconds / max(dt, 1e-9)))


def time_implementations(
    impls: dict[str, Callable[[], Any]],
    setups: dict[str, Callable[[], None]],
    clocks: dict[str, Callable[[], float]],
    budget: float,
    batch_seconds: float = 2e-3,
    min_batches: int = 5,
    max_batches: int = 400,
) -> dict[str, float]:
    """Minimum seconds per call of each implementation, timed interleaved in shuffled order."""
    numbers, spent = {}, dict.fromkeys(impls, 0.0)
    for name, f in impls.items():
        setups.get(name, _nothing)()
        numbers[name], _ = _calibrate(f, batch_seconds, clocks.get(name, CPU_CLOCK))
    best = dict.fromkeys(impls, math.inf)
    batches = dict.fromkeys(impls, 0)
    order = list(impls)
    gc.collect()
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        while True:
            pending = [k for k in order if batches[k] < max_batches and (batches[k] < min_batches or spent[k] < budget)]
            if not pending:
                break
            random.shuffle(pending)
            for name in pending:
                f, number, clock = impls[name], numbers[name], clocks.get(name, CPU_CLOCK)
                setups.get(name, _nothing)()
                t0 = clock()
                for _ in range(number):
                    f()
                dt = clock() - t0
                best[name] = min(best[name], dt / number)
                spent[name] += dt
                batches[name] += 1
    finally:
        if gc_was_enabled:
            gc.enable()
    return best


def _nothing() -> None:
    return None


def peak_extra_bytes(f: Callable[[], Any]) -> int:
    """Peak memory allocated (and traced) during one call beyond what was allocated before."""
    f()
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = f()
        peak = tracemalloc.get_traced_memory()[1]
        del result
    finally:
        tracemalloc.stop()
    return peak - base


# ----------------------------------------------------------------------------------------------
# Checking that every implementation computes the same thing
# ----------------------------------------------------------------------------------------------
def _as_numpy(x: Any) -> Any:
    return x.numpy() if hasattr(x, "numpy") and not isinstance(x, np.ndarray) else x


def check_agreement(case: C.Case, name: str, ours: Any, theirs: Any, n: int) -> None:
    theirs = _as_numpy(theirs)
    rtol = 1e-9 if name == "fused" else 1e-7
    if case.is_cost:
        ok = math.isclose(float(ours), float(theirs), rel_tol=rtol, abs_tol=1e-12)
    else:
        ok = np.shape(ours) == np.shape(theirs) and np.allclose(ours, theirs, rtol=rtol, atol=1e-12)
    if not ok:
        raise AssertionError(
            f"{case.name} at n={n}: {name} disagrees with lossbook "
            f"({ours if case.is_cost else 'arrays differ'} vs {theirs if case.is_cost else ''}); "
            f"a reference must compute the same thing"
        )


# ----------------------------------------------------------------------------------------------
# One row of the table
# ----------------------------------------------------------------------------------------------
@dataclass
class Row:
    case: C.Case
    n: int
    times: dict[str, float]
    peak_ratio: dict[str, float] = field(default_factory=dict)
    targets: list[tuple[str, bool, str]] = field(default_factory=list)

    def ratio(self, other: str) -> float | None:
        t = self.times.get(other)
        return None if t is None else self.times["lossbook"] / t


def measure(case: C.Case, n: int, data: tuple[Any, ...], torch_data: tuple[Any, ...] | None,
            budget: float, torch_threads: int, with_memory: bool) -> Row:
    y, p = data
    impls: dict[str, Callable[[], Any]] = {
        "lossbook": lambda: case.ours(y, p),
        "fused": lambda: case.fused(y, p),
    }
    setups: dict[str, Callable[[], None]] = {}
    clocks: dict[str, Callable[[], float]] = {}
    if compiled.applies(p) and case.compiled:
        # lossbook runs its compiled kernels on every core: wall clock; and its NumPy path too
        impls["numpy"] = lambda: case.ours(y, p)
        setups["lossbook"], setups["numpy"] = _compiled_on, _compiled_off
        clocks["lossbook"] = WALL_CLOCK
    sk, sc, th = case.sklearn, case.scipy, case.torch
    if sk is not None:
        impls["sklearn"] = lambda: sk(y, p)
    if sc is not None:
        impls["scipy"] = lambda: sc(y, p)
    if th is not None and torch_data is not None:
        import torch

        Y, P = torch_data
        impls["torch1"] = lambda: th(Y, P)
        setups["torch1"] = lambda: torch.set_num_threads(1)
        if torch_threads > 1:
            impls["torch"] = lambda: th(Y, P)
            setups["torch"] = lambda: torch.set_num_threads(torch_threads)
            clocks["torch"] = WALL_CLOCK
    setups.get("lossbook", _nothing)()
    ours = impls["lossbook"]()
    for name, f in impls.items():
        if name != "lossbook":
            setups.get(name, _nothing)()
            check_agreement(case, name, ours, f(), n)
    times = time_implementations(impls, setups, clocks, budget)
    row = Row(case, n, times)
    if with_memory:
        size = p.nbytes
        for name in ("lossbook", "fused"):
            setups.get(name, _nothing)()
            row.peak_ratio[name] = peak_extra_bytes(impls[name]) / size
    _compiled_on()
    return row


def _compiled_on() -> None:
    compiled.ENABLED = COMPILED_AVAILABLE


def _compiled_off() -> None:
    compiled.ENABLED = False


def evaluate_targets(row: Row) -> None:
    c, n, t = row.case, row.n, row.times
    if n == SMALL and c.is_cost:
        r = t["lossbook"] / t["fused"]
        row.targets.append((f"<= {MAX_VS_FUSED_SMALL:g}x fused", r <= MAX_VS_FUSED_SMALL, f"{r:.2f}x"))
        if "sklearn" in t:
            s = t["sklearn"] / t["lossbook"]
            row.targets.append((f">= {MIN_SPEEDUP_VS_SKLEARN_SMALL:g}x faster than sklearn",
                                s >= MIN_SPEEDUP_VS_SKLEARN_SMALL, f"{s:.0f}x"))
    if n == LARGE:
        r, bound = t["lossbook"] / t["fused"], MAX_VS_FUSED_LARGE[c.family]
        row.targets.append((f"<= {bound:g}x fused", r <= bound, f"{r:.2f}x"))
        if "numpy" in t:  # a compiled kernel: never slower than the NumPy path it replaces
            r = t["lossbook"] / t["numpy"]
            row.targets.append(("<= 1x NumPy path", r <= 1.0, f"{r:.2f}x"))
        bound = MAX_VS_TORCH[c.family]
        for key, label in (("torch", "torch on all threads"), ("torch1", "torch on 1 thread")):
            if key in t:
                r = t["lossbook"] / t[key]
                row.targets.append((f"<= {bound:g}x {label}", r <= bound, f"{r:.2f}x"))
        if c.is_cost and "lossbook" in row.peak_ratio:
            m = row.peak_ratio["lossbook"]
            row.targets.append((f"peak < {MAX_PEAK_OVER_INPUT:g}x input", m < MAX_PEAK_OVER_INPUT, f"{m:.2f}x"))


# ----------------------------------------------------------------------------------------------
# Output
# ----------------------------------------------------------------------------------------------
def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    us = seconds * 1e6
    if us < 1000:
        return f"{us:.3g} µs" if us >= 100 else f"{us:.2f} µs"
    return f"{us / 1000:.3g} ms" if us < 100_000 else f"{us / 1000:.0f} ms"


def fmt_ratio(r: float | None, digits: int = 2) -> str:
    return "" if r is None else f"{r:.{digits}f}"


def fmt_n(n: int) -> str:
    e = round(math.log10(n))
    return f"10^{e}" if 10**e == n and n >= 1000 else str(n)


COLUMNS = ("case", "n", "lossbook", "NumPy path", "fused NumPy", "÷ fused", "sklearn", "sklearn ÷", "SciPy",
           "torch (all thr)", "÷ torch", "torch 1 thr", "÷ torch 1", "peak mem", "targets")


def row_cells(row: Row) -> list[str]:
    t = row.times
    sk = t.get("sklearn")
    failed = [f"✗ {label} ({detail})" for label, ok, detail in row.targets if not ok]
    status = "; ".join(failed) if failed else ("✓" if row.targets else "")
    return [
        row.case.name, fmt_n(row.n), fmt_time(t["lossbook"]), fmt_time(t.get("numpy")), fmt_time(t["fused"]),
        fmt_ratio(row.ratio("fused")), fmt_time(sk), "" if sk is None else f"{sk / t['lossbook']:.0f}×",
        fmt_time(t.get("scipy")), fmt_time(t.get("torch")), fmt_ratio(row.ratio("torch")),
        fmt_time(t.get("torch1")), fmt_ratio(row.ratio("torch1")),
        f"{row.peak_ratio['lossbook']:.2f}×" if "lossbook" in row.peak_ratio else "", status,
    ]


def text_table(rows: list[Row]) -> str:
    cells = [list(COLUMNS)] + [row_cells(r) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    lines = []
    for k, c in enumerate(cells):
        lines.append("  ".join(x.ljust(w) if i in (0, len(COLUMNS) - 1) else x.rjust(w) for i, (x, w) in enumerate(zip(c, widths, strict=True))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[Row]) -> str:
    out = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join(":--" if i in (0, len(COLUMNS) - 1) else "--:" for i in range(len(COLUMNS))) + "|"]
    out += ["| " + " | ".join(row_cells(r)) + " |" for r in rows]
    return "\n".join(out)


def summary(rows: list[Row]) -> tuple[str, list[str]]:
    """Per target: how many rows meet it; and one line per miss."""
    tally: dict[str, list[int]] = {}
    misses = []
    for r in rows:
        for label, ok, detail in r.targets:
            tally.setdefault(label, [0, 0])
            tally[label][0] += ok
            tally[label][1] += 1
            if not ok:
                misses.append(f"{r.case.name} at n={fmt_n(r.n)}: {label} not met ({detail})")
    lines = [f"{label}: {ok}/{total} met" for label, (ok, total) in tally.items()]
    return "\n".join(lines), misses


def machine_info(torch_threads: int | None) -> dict[str, str]:
    info: dict[str, str] = {}
    model, flags = platform.processor() or "unknown", set()
    family = cpu_model_no = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "model name":
                model = value
            elif key == "cpu family":
                family = value
            elif key == "model":
                cpu_model_no = value
            elif key == "flags":
                flags = set(value.split())
            if flags and model != "unknown" and family and cpu_model_no:
                break
    except OSError:
        pass
    simd = ", ".join(f for f in ("avx2", "fma", "avx512f") if f in flags) or "?"
    if flags and "avx512f" not in flags:
        simd += " (no AVX-512)"
    info["CPU"] = f"{model}" + (f" (family {family}, model {cpu_model_no})" if family else "") + f"; SIMD: {simd}"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info["cores"] = f"{os.cpu_count()} logical CPUs, {usable} usable by this process"
    try:
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        info["memory"] = f"{int(mem.split()[1]) / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    info["OS"] = f"{platform.system()} {platform.release()}"
    info["Python"] = platform.python_version()
    info["NumPy"] = np.__version__
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as feats  # type: ignore
        info["NumPy"] += f" (SIMD dispatch: AVX2 {'yes' if feats.get('AVX2') else 'no'}, AVX-512F {'yes' if feats.get('AVX512F') else 'no'})"
    except ImportError:
        pass
    for label, module in (("SciPy", "scipy"), ("scikit-learn", "sklearn"), ("PyTorch", "torch")):
        try:
            mod = __import__(module)
            info[label] = mod.__version__
        except ImportError:
            info[label] = "not installed"
    if torch_threads is not None:
        info["PyTorch"] += f" (intra-op threads: {torch_threads} by default; also timed with 1)"
    try:
        import lossbook

        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE.parent, capture_output=True, text=True, check=False
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "lossbook"], cwd=HERE.parent, capture_output=True, text=True, check=False
        ).stdout.strip()
        info["lossbook"] = f"{lossbook.__version__}, commit {commit or '?'}" + (" + uncommitted changes in lossbook/" if dirty else "")
        info["compiled kernels"] = (
            f"{compiled.backend()}, from {compiled.COMPILED_FROM} numbers" if COMPILED_AVAILABLE
            else "off (Numba not installed, or LOSSBOOK_COMPILED=0): NumPy only"
        )
    except (OSError, ImportError):
        pass
    return info


def fused_sources(cases: list[C.Case]) -> str:
    seen, parts = set(), []
    for name, obj in vars(C).items():
        if name.startswith("fused_") and callable(obj) and obj not in seen:
            seen.add(obj)
            parts.append(inspect.getsource(obj).rstrip())
    return "\n\n\n".join(parts)


def write_markdown(path: Path, rows: list[Row], info: dict[str, str], args: argparse.Namespace,
                   started: str, loads: tuple[str, str], seconds: float, kernels_md: str) -> None:
    tally, misses = summary(rows)
    machine = "\n".join(f"| {k} | {v} |" for k, v in info.items())
    misses_md = "\n".join(f"- {m}" for m in misses) or "- none"
    text = f"""# lossbook benchmark results

Generated by `python -m benchmarks.run` on {started} ({seconds / 60:.1f} min; sizes: {", ".join(fmt_n(n) for n in args.sizes)}).
Do not edit by hand: re-run the command. What the numbers mean, how the references are written and
why the remaining misses remain: [README.md](README.md).

## Machine

| | |
|:--|:--|
{machine}
| load average (1 min) | {loads[0]} at the start, {loads[1]} at the end (other jobs share this machine) |

## Targets (issues 6 and 12)

Ratios are lossbook's time divided by the other's (below 1: lossbook is faster), except "sklearn ÷",
which is scikit-learn's time divided by lossbook's (the speed-up).

- n = 100, every cost: at most {MAX_VS_FUSED_SMALL:g}× the fused NumPy reference (validation included), and at least {MIN_SPEEDUP_VS_SKLEARN_SMALL:g}× faster than scikit-learn.
- n = 10^6, every cost and gradient: at most {MAX_VS_FUSED_LARGE["arithmetic"]:g}× the fused reference for the arithmetic losses and {MAX_VS_FUSED_LARGE["transcendental"]:g}× for those dominated by exp, log or sqrt; never slower than lossbook's own NumPy path where a compiled kernel runs; against PyTorch on the CPU at most 1× for the arithmetic losses and 1.5× for the ones dominated by exp, log or sqrt; peak extra memory of a cost under {MAX_PEAK_OVER_INPUT:g}× the size of `y_pred`.

```
{tally}
```

Misses:

{misses_md}

## Results

Times are the minimum per call over interleaved batches (see "Method" below). Multi-class cases
have n rows of K = {C.K} classes, so `y_pred` holds 10n numbers. "peak mem" is the peak extra
memory of the lossbook call (tracemalloc) divided by `y_pred.nbytes`, at the largest n; for a
gradient it includes the returned array. Empty cells: the library has no such function.

{markdown_table(rows)}

## Do the compiled kernels pay?

Each kernel against lossbook's own NumPy path at 10^6 numbers, natively and with NumPy, OpenBLAS
and Numba forced down to AVX2 (`python -m benchmarks.kernels`, which this run calls). A kernel is
kept only where it is at least 1.3x faster in both; the others were deleted, so their losses run
on the NumPy path.

{kernels_md}

## Method

- Same arrays for every implementation of a case (`benchmarks/cases.py`, `make_inputs`); every
  implementation's result is checked against lossbook's before timing (relative 1e-9 for the
  fused references, 1e-7 for the libraries).
- Implementations of a case run interleaved, in a shuffled order, in batches of at least 2 ms,
  each for about {args.budget:g} s (at least 5 batches); the time is the fastest batch per call.
  A row that misses a target is timed once more, and every implementation in it (the
  references too) keeps its best time, so that one burst of load from other jobs cannot decide
  a target.
- Clock: CPU time of the calling thread for everything that runs on one thread (lossbook, fused
  NumPy, scikit-learn, SciPy, PyTorch on 1 thread): on a machine shared with other jobs, time
  spent descheduled is not counted, nor the CPU that PyTorch's idle OpenMP workers burn spinning
  after a multi-threaded call. PyTorch on all threads is timed by the wall clock (its work is
  spread over threads), so its numbers suffer when other jobs hold a core.
- NumPy's and SciPy's OpenBLAS run on one thread (`OPENBLAS_NUM_THREADS=1`), like NumPy's
  ufuncs: every NumPy-based implementation uses one core.
- PyTorch targets: "arithmetic" losses (no exp, log or sqrt: {", ".join(sorted(k for k, f in C.FAMILY.items() if f == "arithmetic"))})
  must be no slower than PyTorch, the others within 1.5x.

## The fused NumPy references

Written by hand as the fastest plain NumPy form of each formula, without validation
(from `benchmarks/cases.py`):

<details><summary>source</summary>

```python
{fused_sources([r.case for r in rows])}
```

</details>

## The scikit-learn, SciPy and PyTorch calls

<details><summary>source</summary>

```python
{inspect.getsource(C.sklearn_implementations).rstrip()}


{inspect.getsource(C.scipy_implementations).rstrip()}


{inspect.getsource(C.torch_implementations).rstrip()}
```

</details>
"""
    path.write_text(text)


# ----------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--only", nargs="+", default=None, help="run the cases whose name contains any of these")
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"), help='markdown output file, "-" for none')
    parser.add_argument("--budget", type=float, default=0.3, help="seconds of timing per implementation and case")
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args(argv)

    cases = C.all_cases()
    if args.only:
        cases = [c for c in cases if any(s in c.name for s in args.only)]
    torch_threads = None
    if not args.no_torch:
        try:
            import torch

            torch_threads = torch.get_num_threads()
        except ImportError:
            pass
    if torch_threads is None:
        for c in cases:
            c.torch = None
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load0 = f"{os.getloadavg()[0]:.2f}"
    t_start = time.perf_counter()
    info = machine_info(torch_threads)
    print("\n".join(f"{k}: {v}" for k, v in info.items()), flush=True)

    rows: list[Row] = []
    random.seed(0)
    for n in sorted(args.sizes):
        inputs: dict[str, tuple[Any, Any]] = {}
        tensors: dict[str, tuple[Any, ...]] = {}
        for case in cases:
            if case.kind not in inputs:
                inputs[case.kind] = C.make_inputs(case.kind, n)
                if torch_threads is not None:
                    import torch

                    tensors[case.kind] = tuple(torch.from_numpy(a) for a in inputs[case.kind])
            row = measure(case, n, inputs[case.kind], tensors.get(case.kind), args.budget,
                          torch_threads or 1, with_memory=n == max(args.sizes))
            evaluate_targets(row)
            if any(not ok for _, ok, _ in row.targets):
                # A burst of load from other jobs can spoil a whole measurement: time the row
                # once more, every implementation keeping its best time (the reference too).
                again = measure(case, n, inputs[case.kind], tensors.get(case.kind), args.budget,
                                torch_threads or 1, with_memory=False)
                row.times = {k: min(t, again.times.get(k, t)) for k, t in row.times.items()}
                row.targets = []
                evaluate_targets(row)
            rows.append(row)
            print(text_table([row]).splitlines()[-1], flush=True)
        inputs.clear()
        tensors.clear()
    seconds = time.perf_counter() - t_start
    if torch_threads is not None:
        import torch

        torch.set_num_threads(torch_threads)

    rows.sort(key=lambda r: (cases.index(r.case), r.n))
    print()
    print(text_table(rows))
    tally, misses = summary(rows)
    print()
    print(tally)
    print("\n".join(["misses:", *misses]) if misses else "every target met")
    from . import kernels

    kernel_rows = kernels.compare(args.budget, args.only) if COMPILED_AVAILABLE else []
    kernels_md = kernels.markdown(kernel_rows) if kernel_rows else "(Numba is not installed: no kernels.)"
    print()
    print(kernels_md)
    if args.out != "-":
        write_markdown(Path(args.out), rows, info, args, started, (load0, f"{os.getloadavg()[0]:.2f}"), seconds,
                       kernels_md)
        print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
