"""Benchmark of classifier serving (not a test): how much of a prediction is the Thai tokenizer?

    python bench/classifier.py [--artifacts DIR] [--version V] [--n 1000] [--tokenizer newmm|nlpo3] [--rounds 5]

Uses corpus texts, plus real Traffy Fondue texts when ../shared/data/traffy/pool.csv is present.
Prints single-text latency p50/p99 (tokenizer alone vs full predict) and batch throughput
(predict_batch vs tokenizer alone on the same texts), with their ratios.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classifier import features, model  # noqa: E402
from classifier.data import load_corpus  # noqa: E402
from classifier.evaluate import TRAFFY_POOL  # noqa: E402


def _texts(n: int) -> tuple[list[str], str]:
    rng = random.Random(7)
    corpus = [r.text for r in load_corpus()]
    texts, source = rng.sample(corpus, min(n, len(corpus))), "corpus"
    if TRAFFY_POOL.exists():
        with TRAFFY_POOL.open(encoding="utf-8", newline="") as fh:
            pool = [r["text"] for r in csv.DictReader(fh) if r["text"].strip()]
        half = n // 2
        texts = texts[: n - half] + rng.sample(pool, min(half, len(pool)))
        source = "corpus + traffy"
    return texts, source


def _latencies(func, texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        start = time.perf_counter()
        func(text)
        out.append((time.perf_counter() - start) * 1e3)
    return sorted(out)


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


def _rate(func, texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--artifacts", default=None)
    ap.add_argument("--version", default=None)
    ap.add_argument("--tokenizer", default=None, choices=features.TOKENIZERS)
    ap.add_argument("--n", type=int, default=1000, help="texts (at least 500 are used)")
    ap.add_argument("--rounds", type=int, default=5, help="alternating rounds; the best of each rate is kept")
    args = ap.parse_args(argv)
    try:
        clf = model.load(args.version, args.artifacts, tokenizer=args.tokenizer)
    except model.ModelNotAvailable as exc:
        print(f"no model: {exc}; run python -m classifier.train first", file=sys.stderr)
        return 2
    tokenize = features.get_tokenizer(args.tokenizer or clf.card.get("tokenizer"))
    texts, source = _texts(max(args.n, 500))
    for text in texts[:50]:  # warm caches (dictionary trie, numpy paths) outside the timings
        clf.predict(text)
        tokenize(text)

    tok = _latencies(tokenize, texts)
    pred = _latencies(clf.predict, texts)
    # alternate the two, best of `rounds` each: a burst of load elsewhere then hits both, not one
    tok_rate = batch_rate = 0.0
    for _ in range(max(args.rounds, 1)):
        tok_rate = max(tok_rate, _rate(lambda ts: [tokenize(t) for t in ts], texts, repeat=1))
        batch_rate = max(batch_rate, _rate(clf.predict_batch, texts, repeat=1))

    name = features.tokenizer_name(tokenize)
    kind = type(clf.pipeline.named_steps["features"]).__name__
    print(f"model {clf.version} ({kind})  tokenizer {name}  texts {len(texts)} ({source}), "
          f"median length {statistics.median(map(len, texts)):.0f} chars")
    print(f"tokenizer alone   p50 {_pct(tok, .5):6.3f} ms   p99 {_pct(tok, .99):6.3f} ms")
    print(f"predict (single)  p50 {_pct(pred, .5):6.3f} ms   p99 {_pct(pred, .99):6.3f} ms   "
          f"(goal p50 <= 2 ms: {'met' if _pct(pred, .5) <= 2 else 'NOT met'})")
    print(f"predict / tokenizer p50 ratio      {_pct(pred, .5) / _pct(tok, .5):6.2f}x")
    print(f"tokenizer alone   {tok_rate:9.0f} texts/s")
    print(f"predict_batch     {batch_rate:9.0f} texts/s")
    print(f"batch rate / tokenizer rate        {batch_rate / tok_rate:6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
