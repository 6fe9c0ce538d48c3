"""Benchmarks of the pipeline and the report build (issue: rerunning on new data). Not a test.

Run with ``make bench``. Every figure is measured in this one run, side by side, and printed with
its ratio to the baseline it is compared with:

1. processed build from the offline mirror (fetch --mirror + build), and reading the processed
   tables as a notebook does, against that build;
2. the full bilingual report (both editions, every claim page, overview, after 2017, league) from a
   cold start against the plain baseline: the same pages run one after the other with ``jupyter
   nbconvert --execute``, once per language (a bilingual site made the plain way executes every page
   twice; the report executes each page once and renders both editions from it);
3. a rebuild with nothing changed against the cold build;
4. the peak memory of the cold report build (all processes of the build summed, sampled);
5. the claim engine over all claims and specifications (benchmarks/bench_engine.py);
6. (``--atlas``, about 25 minutes) the atlas of the 40 COROP regions (``make atlas``): cold, against
   forty cold single-region builds of the same commit, estimated from a sample of them (the mean of
   ``ATLAS_SAMPLE`` regions times 40, stated as such); a rebuild with nothing changed; a rebuild after
   one registry entry changed; the peak memory of the process tree (resident, and proportional: PSS
   counts a page shared by the kernels once); the site's size and file count.

Targets on the 2-core machine: cold report <= 0.5 x baseline; no-change rebuild < 2% of cold;
peak memory < 1 GB; engine < 10 s; atlas <= 0.2 x forty single builds, no-change atlas < 2 s, one
claim changed < 10% of the cold atlas, peak < 1 GiB. ``--report`` runs parts 2-4 only, ``--atlas``
part 6 only.
"""

from __future__ import annotations

import argparse
import os
import re
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


def timed(command: list[str], env: dict[str, str], cwd: Path | None = None, pss: list[int] | None = None
          ) -> tuple[float, int]:
    """Wall time of a command and the peak summed RSS (bytes) of its process tree; with ``pss`` (a
    list), its peak summed PSS is appended to it (sampled less often: reading smaps is slower)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        parent = psutil.Process(process.pid)
        count = 0
        while not done.is_set():
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
                if pss is not None and count % 5 == 0:
                    peak_pss = max(peak_pss, sum(p.memory_full_info().pss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            count += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - start
    if pss is not None:
        pss.append(peak_pss)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return elapsed, peak


def project_copy(tmp: Path) -> Path:
    """A throwaway copy of the committed project (HEAD): processed data, docs (the method page), notebooks
    and the package.

    The package copy is put first on PYTHONPATH, so edits in the working tree while the benchmark
    runs (the no-change rebuild fingerprints the package code) change neither the code measured nor
    the fingerprints."""
    root = tmp / "project"
    root.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", "data/processed", "docs", "notebooks", "src"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return root


def baseline_notebooks(root: Path, folder: Path) -> list[Path]:
    """The report's pages as plain notebooks: claim.py once per registered claim (its claim_id set in
    the parameters cell, the rest as the notebook's defaults), the overview and after-2017."""
    from analysis.site import plan

    notebooks = []
    pages = [("overview", root / "notebooks" / "00_data_overview.py", None)]
    pages += [(f"claim-{c.claim_id}", root / "notebooks" / "claim.py", c.claim_id) for c in plan.registered_claims(root / "src" / "analysis" / "data" / "claims.toml")]
    pages += [("after-2017", root / "notebooks" / "05_after_2017.py", None)]
    for stem, source, claim_id in pages:
        text = source.read_text(encoding="utf-8")
        if claim_id:
            text = re.sub(r'^claim_id = ""', f'claim_id = "{claim_id}"', text, count=1, flags=re.MULTILINE)
        script = folder / f"{stem}.py"
        script.write_text(text, encoding="utf-8")
        ipynb = folder / f"{stem}.ipynb"
        subprocess.run([str(BIN / "jupytext"), "--quiet", "--to", "ipynb", "-o", str(ipynb), str(script)], check=True)
        notebooks.append(ipynb)
    return notebooks


def report_benchmark(root: Path, tmp: Path, env: dict[str, str]) -> None:
    baseline_dir = tmp / "baseline"
    baseline_dir.mkdir()
    notebooks = baseline_notebooks(root, baseline_dir)
    per_language = []
    for language in ("nl", "en"):
        total = 0.0
        for ipynb in notebooks:
            elapsed, _ = timed([str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html",
                                "--output", f"{ipynb.stem}-{language}", str(ipynb)], env, cwd=root / "notebooks")
            total += elapsed
        per_language.append(total)
    baseline = sum(per_language)
    print(f"2. plain baseline (nbconvert --execute, {len(notebooks)} pages in sequence, once per language): "
          f"{per_language[0]:.1f} s + {per_language[1]:.1f} s = {baseline:.1f} s")
    cold, peak = timed([PYTHON, "-m", "analysis", "report", "--force"], env)
    print(f"   cold bilingual report build: {cold:.1f} s = {cold / baseline:.2f} x baseline (target <= 0.50)")
    # Other work on the package while this runs changes the code fingerprint, and then the "no-change"
    # build rightly rebuilds: measure until a build reports that nothing changed (at most 3 tries).
    for attempt in range(1, 4):
        start = time.perf_counter()
        done = subprocess.run([PYTHON, "-m", "analysis", "report"], env=env, capture_output=True, text=True, check=True)
        unchanged = time.perf_counter() - start
        if "Nothing changed since the last build" in done.stdout:
            break
        print(f"   (try {attempt}: the package changed meanwhile, so that build rebuilt in {unchanged:.1f} s)")
    print(f"3. rebuild with nothing changed: {unchanged:.2f} s = {unchanged / cold:.1%} of the cold build "
          "(target < 2%)")
    print(f"4. peak memory of the cold report build (process tree): {peak / 2**20:.0f} MiB (target < 1024)")


ATLAS_SAMPLE = ("CR05", "CR23", "CR40")  # a small, a large and a southern region


def atlas_benchmark(root: Path, env: dict[str, str]) -> None:
    reports = root / "reports"
    singles = []
    for region in ATLAS_SAMPLE:
        shutil.rmtree(reports, ignore_errors=True)
        pss: list[int] = []
        elapsed, peak = timed([PYTHON, "-m", "analysis", "report", "--region", region, "--force"], env, pss=pss)
        singles.append(elapsed)
        print(f"6. cold single-region build {region}: {elapsed:.1f} s, peak {peak / 2**20:.0f} MiB resident, "
              f"{pss[0] / 2**20:.0f} MiB proportional")
    forty = 40 * sum(singles) / len(singles)
    print(f"   forty single-region builds, estimated from these {len(singles)} (mean x 40): {forty:.0f} s")
    shutil.rmtree(reports, ignore_errors=True)
    pss = []
    cold, peak = timed([PYTHON, "-m", "analysis", "report", "--region", "all"], env, pss=pss)
    print(f"   cold atlas (40 regions, both editions): {cold:.0f} s = {cold / forty:.2f} x forty single builds "
          f"(target <= 0.20); peak {peak / 2**20:.0f} MiB resident, {pss[0] / 2**20:.0f} MiB proportional "
          "(target < 1024)")
    files = [p for p in reports.rglob("*") if p.is_file() and not p.name.startswith(".")]
    size = sum(p.stat().st_size for p in files)
    pages = sum(p.suffix == ".html" for p in files)
    print(f"   the site: {size / 2**20:.0f} MiB in {len(files)} files ({pages} HTML pages)")
    unchanged, _ = timed([PYTHON, "-m", "analysis", "report", "--region", "all"], env)
    print(f"   atlas rebuild with nothing changed: {unchanged:.2f} s (target < 2 s)")
    registry = root / "src" / "analysis" / "data" / "claims.toml"
    text = registry.read_text(encoding="utf-8")
    changed = re.sub(r'(\ntitle_en = "[^"]*)"', r'\1 (edited)"', text, count=1)
    registry.write_text(changed, encoding="utf-8")
    one, _ = timed([PYTHON, "-m", "analysis", "report", "--region", "all"], env)
    print(f"   atlas rebuild after one registry entry changed (its title): {one:.0f} s = {one / cold:.1%} of the "
          "cold atlas (target < 10%)")


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks (not tests); see the module docstring.")
    parser.add_argument("--report", action="store_true", help="only the report parts (2-4)")
    parser.add_argument("--atlas", action="store_true", help="only the atlas part (6)")
    args = parser.parse_args()
    mirror = Path(os.environ.get("TWENTE_CLAIMS_MIRROR", ROOT.parent / "shared" / "data"))
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = project_copy(tmp)
        env = {**os.environ, "TWENTE_CLAIMS_ROOT": str(root), "PYTHONWARNINGS": "ignore",
               "PYTHONPATH": os.pathsep.join([str(root / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}

        env.pop("TWENTE_CLAIMS_REGISTRY", None)
        if args.atlas:
            atlas_benchmark(root, env)
            return 0
        if args.report:
            report_benchmark(root, tmp, env)
            return 0
        build_time = None
        if mirror.is_dir():
            fetch_time, _ = timed([PYTHON, "-m", "analysis", "fetch", "--mirror", str(mirror), "--quiet"], env)
            build_time, _ = timed([PYTHON, "-m", "analysis", "build"], env)
            print(f"1. processed build from the mirror: fetch {fetch_time:.2f} s + build {build_time:.2f} s")
        else:
            print(f"1. processed build: skipped, no mirror at {mirror}")
        read_code = ("import time; t = time.perf_counter(); from analysis.engine import series; "
                     "series.load_jobs(); series.load_enrolment(); print(time.perf_counter() - t)")
        read_time = float(subprocess.run([PYTHON, "-c", read_code], env=env, capture_output=True, text=True,
                                         check=True).stdout.strip())
        ratio = f" = {read_time / build_time:.3f} x the build" if build_time else ""
        print(f"   reading the processed tables in a notebook: {read_time:.3f} s{ratio}")
        report_benchmark(root, tmp, env)

    print("5. claim engine:")
    subprocess.run([PYTHON, str(ROOT / "benchmarks" / "bench_engine.py")], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
