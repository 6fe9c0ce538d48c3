"""Benchmarks of the pipeline and the report build (issue: rerunning on new data). Not a test.

Run with ``make bench``. Every figure is measured in this one run, side by side, and printed with
its ratio to the baseline it is compared with:

1. processed build from the offline mirror (fetch --mirror + build), and reading the processed
   tables as a notebook does, against that build;
2. the full report from a cold start against the plain baseline: every notebook run one after the
   other with ``jupyter nbconvert --execute``;
3. a rebuild with nothing changed against the cold build;
4. the peak memory of the cold report build (all processes of the build summed, sampled);
5. the claim engine over all claims and specifications (benchmarks/bench_engine.py).

Targets on the 2-core machine: cold report <= 0.7 x baseline; no-change rebuild < 5% of cold;
peak memory < 1 GB; engine < 10 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall time of a command and the peak summed RSS (bytes) of its process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        parent = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return elapsed, peak


def project_copy(tmp: Path) -> Path:
    """A throwaway copy of the parts of the project a build reads (the real one stays untouched)."""
    root = tmp / "project"
    (root / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "processed", root / "data" / "processed")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    return root


def main() -> int:
    mirror = Path(os.environ.get("TWENTE_CLAIMS_MIRROR", ROOT.parent / "shared" / "data"))
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = project_copy(tmp)
        env = {**os.environ, "TWENTE_CLAIMS_ROOT": str(root), "PYTHONWARNINGS": "ignore"}

        build_time = None
        if mirror.is_dir():
            fetch_time, _ = timed([PYTHON, "-m", "analysis", "fetch", "--mirror", str(mirror), "--quiet"], env)
            build_time, _ = timed([PYTHON, "-m", "analysis", "build"], env)
            print(f"1. processed build from the mirror: fetch {fetch_time:.2f} s + build {build_time:.2f} s")
        else:
            print(f"1. processed build: skipped, no mirror at {mirror}")
        read_code = ("import time; t = time.perf_counter(); from analysis import series; "
                     "series.load_jobs(); series.load_enrolment(); print(time.perf_counter() - t)")
        read_time = float(subprocess.run([PYTHON, "-c", read_code], env=env, capture_output=True, text=True,
                                         check=True).stdout.strip())
        ratio = f" = {read_time / build_time:.3f} x the build" if build_time else ""
        print(f"   reading the processed tables in a notebook: {read_time:.3f} s{ratio}")

        # Plain baseline: each notebook executed one after the other with nbconvert.
        baseline_dir = tmp / "baseline"
        baseline_dir.mkdir()
        notebooks = sorted((root / "notebooks").glob("[0-9][0-9]_*.py"))
        baseline = 0.0
        for notebook in notebooks:
            ipynb = baseline_dir / f"{notebook.stem}.ipynb"
            subprocess.run([str(BIN / "jupytext"), "--quiet", "--to", "ipynb", "-o", str(ipynb), str(notebook)],
                           env=env, check=True)
            elapsed, _ = timed([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", str(ipynb)],
                               env, cwd=root / "notebooks")
            baseline += elapsed
        print(f"2. plain baseline (nbconvert --execute, {len(notebooks)} notebooks in sequence): {baseline:.1f} s")

        cold, peak = timed([PYTHON, "-m", "analysis", "report", "--force"], env)
        print(f"   cold report build: {cold:.1f} s = {cold / baseline:.2f} x baseline (target <= 0.70)")
        unchanged, _ = timed([PYTHON, "-m", "analysis", "report"], env)
        print(f"3. rebuild with nothing changed: {unchanged:.2f} s = {unchanged / cold:.1%} of the cold build "
              "(target < 5%)")
        print(f"4. peak memory of the cold report build (process tree): {peak / 2**20:.0f} MiB (target < 1024)")

    print("5. claim engine:")
    subprocess.run([PYTHON, str(ROOT / "benchmarks" / "bench_engine.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
