"""Running the matching benchmark's methods and printing its table: each method in a fresh
process (so its peak memory is its own), one row per method, quality against the reference."""

from __future__ import annotations

import multiprocessing as mp
import resource


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(queue, func, args):
    try:
        result = func(*args)
    except BaseException as error:  # report a solver's failure (e.g. RecursionError) as data
        result = {"error": f"{type(error).__name__}: {str(error)[:60]}"}
    result["peak_mb"] = _peak_mb()
    queue.put(result)


def measure(func, args, timeout: float) -> dict:
    """Run one method in a fresh process; its peak memory is its own."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, func, args))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.terminate()
        process.join()
        return {"error": f"gave up after {timeout:.0f} s"}
    return queue.get() if not queue.empty() else {"error": f"exit code {process.exitcode}"}


COLUMNS = ("method", "time s", "peak MB", "quality", "violations", "blocking", "unmatched",
           "worst", "p10")


def _fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def row_for(name: str, result: dict, reference: dict | None) -> list[str]:
    if "error" in result:
        return [name, "-", _fmt(result.get("peak_mb"), 0), result["error"], *["-"] * 5]
    if "spread" in result:
        quality = f"spread {result['spread']}/{result['bound']}, topic pairs {result['score']:.0f}"
    elif reference is not None and "score" in result and "score" in reference:
        quality = f"{result['score'] / reference['score']:.4f} of ref"
        if result.get("types"):
            quality += f", exact between {result['types'][0]}x{result['types'][1]} types"
        elif "proved" in result:
            quality += (f", proved in {result['rounds']} rounds" if result["proved"]
                        else ", not proved")
        if "distinct" in result and "time" in reference and result.get("time"):
            quality += (f"; {result['distinct']} distinct scores; "
                        f"{reference['time'] / result['time']:.1f}x faster than ref")
    else:
        quality = "-"
    return [name, _fmt(result.get("time"), 3), _fmt(result.get("peak_mb"), 0), quality,
            _fmt(result.get("violations")), _fmt(result.get("blocking")),
            _fmt(result.get("unmatched")), _fmt(result.get("worst")), _fmt(result.get("p10"))]


def print_table(title: str, rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]
    print(f"\n{title}")
    for r in [list(COLUMNS), *rows]:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))


def case_rows(reference_func, methods, args, timeout: float) -> list[list[str]]:
    """The reference's row (where the case has one), then one row per (label, method)."""
    rows = []
    reference = None
    if reference_func is not None:
        reference = measure(reference_func, args, timeout)
        label = reference.get("reference", "scipy dense exact (reference)")
        ref_row = row_for(label, reference, None)
        ref_row[3] = "1.0000 (reference)" if "error" not in reference else ref_row[3]
        rows.append(ref_row)
        if "error" in reference:
            reference = None
    for name, func in methods:
        rows.append(row_for(name, measure(func, args, timeout), reference))
    return rows


def process_env(**extra: str) -> dict[str, str]:
    """The environment a timed process runs in: bytecode caches written and read (as an
    installed package has them), whatever this shell says."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def run_once(command: list[str], env: dict[str, str], prepare=None) -> float:
    """Wall seconds of one run of ``command`` as a fresh process, from its start to its exit
    (``prepare``, untimed, runs first: a fresh copy of a database, say)."""
    import subprocess
    import time

    if prepare is not None:
        prepare()
    began = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-400:]}")
    return seconds


def paired(command: list[str], baseline: list[str], env: dict[str, str], runs: int = 5,
           prepare=None) -> tuple[float, float, float]:
    """(median seconds of ``command``, of ``baseline``, median of their ratios), the two run
    in turn after a warm-up of each: pairs keep the ratio fair when the machine's speed
    drifts (other work on a shared machine)."""
    import statistics

    run_once(command, env, prepare)
    run_once(baseline, env)
    ours, base = [], []
    for _ in range(runs):
        ours.append(run_once(command, env, prepare))
        base.append(run_once(baseline, env))
    ratios = [a / b for a, b in zip(ours, base, strict=True)]
    return statistics.median(ours), statistics.median(base), statistics.median(ratios)
