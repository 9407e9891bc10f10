"""Do the compiled kernels pay? Each one against lossbook's own NumPy path, at 10^6 numbers.

Run from the repository root::

    python -m benchmarks.kernels            # natively and under emulated AVX2; prints a table
    python -m benchmarks.kernels --json     # this process only (what the emulated run returns)

A kernel stays only if it is at least :data:`MIN_SPEEDUP` times faster than the NumPy path both
natively and with NumPy, OpenBLAS and Numba forced down to AVX2 (``NPY_DISABLE_CPU_FEATURES``,
``OPENBLAS_CORETYPE=Haswell``, ``NUMBA_CPU_NAME=haswell``): NumPy's own ``exp`` and ``log`` are
vectorised with AVX-512 and a hand-written loop can lose to them there, while on an AVX2 machine
the same loop wins. :mod:`benchmarks.run` puts this table in ``RESULTS.md``.

Kernels run on every core and are timed by the wall clock; the NumPy path runs on one and is timed
by that thread's CPU clock (see :mod:`benchmarks.run`).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from lossbook.losses import _compiled as compiled

from . import cases as C
from .run import WALL_CLOCK, time_implementations

#: A kernel must be at least this many times faster than the NumPy path, natively and under AVX2.
MIN_SPEEDUP = 1.3
#: Numbers in y_pred (rows of K classes for multi-class losses: N // K rows).
N = 1_000_000
#: The environment of the emulated run: an AVX2 machine (Intel Haswell, AMD Zen 1-3).
AVX2 = {
    "NPY_DISABLE_CPU_FEATURES": "X86_V4,AVX512_ICL,AVX512_SPR",
    "OPENBLAS_CORETYPE": "Haswell",
    "NUMBA_CPU_NAME": "haswell",
}
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class KernelRow:
    case: str
    native: tuple[float, float]  # (kernel, NumPy path) seconds per call
    avx2: tuple[float, float] | None

    def speedup(self, times: tuple[float, float] | None) -> float | None:
        return None if times is None else times[1] / times[0]

    @property
    def pays(self) -> bool:
        speedups = [self.speedup(self.native), self.speedup(self.avx2)]
        return all(s is not None and s >= MIN_SPEEDUP for s in speedups)


def measure_here(budget: float = 0.3, only: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """Kernel and NumPy-path seconds per call of every case with a kernel, in this process."""
    if not compiled.ENABLED or compiled.kernels() is None:
        raise SystemExit("the compiled kernels are off (Numba not installed, or LOSSBOOK_COMPILED=0)")
    out = {}
    for case in C.all_cases():
        if not case.compiled or (only and not any(o in case.name for o in only)):
            continue
        y, p = C.make_inputs(case.kind, N // C.K if case.kind.multiclass else N)
        impls = {"kernel": lambda c=case, y=y, p=p: c.ours(y, p), "numpy": lambda c=case, y=y, p=p: c.ours(y, p)}
        setups = {"kernel": lambda: setattr(compiled, "ENABLED", True), "numpy": lambda: setattr(compiled, "ENABLED", False)}
        times = time_implementations(impls, setups, {"kernel": WALL_CLOCK}, budget)
        compiled.ENABLED = True
        out[case.name] = (times["kernel"], times["numpy"])
    return out


def measure_avx2(budget: float = 0.3, only: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """The same, in a fresh process forced down to AVX2 (the variables act when NumPy loads)."""
    command = [sys.executable, "-m", "benchmarks.kernels", "--json", "--budget", str(budget)]
    if only:
        command += ["--only", *only]
    result = subprocess.run(command, env={**os.environ, **AVX2}, cwd=ROOT, capture_output=True, text=True, check=True)
    return {name: (t[0], t[1]) for name, t in json.loads(result.stdout).items()}


def compare(budget: float = 0.3, only: list[str] | None = None) -> list[KernelRow]:
    avx2 = measure_avx2(budget, only)
    native = measure_here(budget, only)
    return [KernelRow(name, times, avx2.get(name)) for name, times in native.items()]


def markdown(rows: list[KernelRow]) -> str:
    def ms(t: float) -> str:
        return f"{t * 1e3:.2f} ms"

    lines = [
        f"| case | kernel | NumPy path | speed-up | kernel (AVX2) | NumPy path (AVX2) | speed-up (AVX2) | >= {MIN_SPEEDUP}x both |",
        "|:--|--:|--:|--:|--:|--:|--:|:--|",
    ]
    for r in rows:
        a = r.avx2 or (float("nan"), float("nan"))
        lines.append(
            f"| {r.case} | {ms(r.native[0])} | {ms(r.native[1])} | {r.speedup(r.native):.2f}x | {ms(a[0])} | {ms(a[1])} "
            f"| {a[1] / a[0]:.2f}x | {'✓' if r.pays else '✗ delete the kernel'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="measure in this process only and print JSON")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds of timing per implementation and case")
    parser.add_argument("--only", nargs="+", default=None, help="cases whose name contains any of these")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure_here(args.budget, args.only)))
        return
    rows = compare(args.budget, args.only)
    print(markdown(rows))
    misses = [r.case for r in rows if not r.pays]
    print(f"\nkernels that pay (>= {MIN_SPEEDUP}x natively and under AVX2): {len(rows) - len(misses)}/{len(rows)}")
    if misses:
        print("do not pay: " + ", ".join(misses))


if __name__ == "__main__":
    main()
