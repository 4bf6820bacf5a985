"""Throughput and peak memory of `clauseclf label` (fp32, int8) against `transformers.pipeline`.

Every measurement is a fresh subprocess on the same input, so peak RSS is that
process's own (os.wait4) and nothing is shared between runs. Throughput is timed
inside each process from the first clause to the last output, model loading
excluded, and the best of --repeats (runs alternate, so a busy neighbour on a
shared machine hurts every contender alike). Memory is measured on --memory-sizes
inputs with the real CLI, to show that it does not grow with the input.

    .venv/bin/python scripts/bench_label.py --model models/default
    .venv/bin/python scripts/bench_label.py --model /tmp/bench-model --clauses 1024 --memory-sizes 10000 100000

Results go to stdout as a Markdown table and to --results (JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "corpus" / "clauses.jsonl"
CLI = [sys.executable, "-m", "clauseclf.cli"]
RATE = re.compile(r"labelled (\d+) clauses in ([\d.]+) s \(([\d.]+) clauses/s")


def write_input(path: Path, count: int) -> Path:
    """`count` clauses cycled from the seed corpus (40-80 words each on average)."""
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as stream:
        for i in range(count):
            stream.write(json.dumps({"id": f"c{i:07d}", "text": texts[i % len(texts)]}) + "\n")
    return path


def run_measured(command: list[str]) -> tuple[str, float, float]:
    """(stdout+stderr, wall seconds, peak RSS in MiB) of one subprocess."""
    env = {**os.environ, "TRANSFORMERS_VERBOSITY": "error", "HF_HUB_DISABLE_PROGRESS_BARS": "1",
           "HF_HUB_OFFLINE": "1", "TQDM_DISABLE": "1"}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{text[-3000:]}")
    return text, time.perf_counter() - started, usage.ru_maxrss / 1024  # Linux reports KiB


def label_run(model: Path, source: Path, output: Path, quantize: str) -> dict:
    text, wall, rss = run_measured(CLI + ["label", str(source), "--model", str(model), "--output", str(output),
                                          "--force", "--quantize", quantize, "--summary", "0"])
    clauses, seconds, rate = RATE.search(text).groups()
    return {"clauses": int(clauses), "seconds": float(seconds), "rate": float(rate), "wall": wall, "rss_mib": rss}


def pipeline_run(model: Path, source: Path, batch_size: int) -> dict:
    text, wall, rss = run_measured([sys.executable, __file__, "--pipeline-worker", str(model), str(source),
                                    "--batch-size", str(batch_size)])
    result = json.loads(text.strip().splitlines()[-1])
    return {**result, "wall": wall, "rss_mib": rss}


def pipeline_worker(model: Path, source: Path, batch_size: int) -> None:
    """The baseline: a plain text-classification pipeline over the same texts, sigmoid scores for every label."""
    from transformers import pipeline

    texts = [json.loads(line)["text"] for line in source.read_text(encoding="utf-8").splitlines()]
    max_length = json.loads((model / "thresholds.json").read_text()).get("max_length", 256)
    classify = pipeline("text-classification", model=str(model), top_k=None, function_to_apply="sigmoid",
                        truncation=True, max_length=max_length, device="cpu")
    started = time.perf_counter()
    count = sum(1 for _ in classify(texts, batch_size=batch_size))
    seconds = time.perf_counter() - started
    print(json.dumps({"clauses": count, "seconds": seconds, "rate": count / seconds}))


def throughput(model: Path, work: Path, clauses: int, repeats: int, batch_size: int) -> dict[str, dict]:
    source = write_input(work / f"in-{clauses}.jsonl", clauses)
    runs: dict[str, list[dict]] = {"pipeline": [], "fp32": [], "int8": []}
    for _ in range(repeats):
        runs["pipeline"].append(pipeline_run(model, source, batch_size))
        runs["fp32"].append(label_run(model, source, work / "out-fp32.jsonl", "none"))
        runs["int8"].append(label_run(model, source, work / "out-int8.jsonl", "int8"))
    for name, results in runs.items():
        print(f"  {name}: " + ", ".join(f"{r['rate']:.1f}/s" for r in results), file=sys.stderr)
    return {name: max(results, key=lambda r: r["rate"]) for name, results in runs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=REPO / "models" / "default")
    parser.add_argument("--clauses", type=int, default=1024, help="input size for the throughput runs")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32, help="the pipeline's batch size")
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--memory-quantize", default="int8", help="none or int8, for the memory runs")
    parser.add_argument("--results", type=Path, default=Path("bench_label.json"))
    parser.add_argument("--pipeline-worker", nargs=2, type=Path, metavar=("MODEL", "INPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pipeline_worker:
        pipeline_worker(*args.pipeline_worker, args.batch_size)
        return
    with tempfile.TemporaryDirectory(prefix="bench-label-") as folder:
        work = Path(folder)
        best = throughput(args.model, work, args.clauses, args.repeats, args.batch_size) if args.clauses else {}
        memory = {}
        for size in args.memory_sizes:
            source = write_input(work / f"in-{size}.jsonl", size)
            memory[size] = label_run(args.model, source, work / "out-mem.jsonl", args.memory_quantize)
            print(f"  {size} clauses: {memory[size]['rss_mib']:.0f} MiB, {memory[size]['rate']:.1f}/s", file=sys.stderr)
    args.results.write_text(json.dumps({"model": str(args.model), "cpus": os.cpu_count(), "throughput": best,
                                        "memory": memory}, indent=2) + "\n")
    print(render(best, memory, args))


def render(best: dict, memory: dict, args) -> str:
    lines = []
    if best:
        base = best["pipeline"]["rate"]
        lines += [f"Throughput, {args.clauses} clauses, best of {args.repeats} ({os.cpu_count()} CPUs); pipeline batch "
                  f"{args.batch_size}, clauseclf label its default batch:", "",
                  "| run | clauses/s | vs pipeline | peak RSS (MiB) | process wall time (s) |",
                  "| --- | --- | --- | --- | --- |"]
        for name, label in (("pipeline", "`transformers.pipeline`"), ("fp32", "`clauseclf label`"),
                            ("int8", "`clauseclf label --quantize int8`")):
            r = best[name]
            lines.append(f"| {label} | {r['rate']:.1f} | {r['rate'] / base:.2f}x | {r['rss_mib']:.0f} | {r['wall']:.1f} |")
    if memory:
        lines += ["", f"Peak memory of `clauseclf label --quantize {args.memory_quantize}` by input size:", "",
                  "| clauses | peak RSS (MiB) | clauses/s |", "| --- | --- | --- |"]
        lines += [f"| {size:,} | {r['rss_mib']:.0f} | {r['rate']:.1f} |" for size, r in memory.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
