"""The risk list on the seeded shop simulation of the tests, per seed: backtest and forward AUC.

The simulation (``tests/activity/test_risk.py``: 2,000 shoppers; a billing
complaint multiplies the hazard of stopping by four) continues past the log the
list is given, so the list can be scored against who really stops within the
horizon after as-of. Each seed is run with the feedback and without it.

Usage (from the repository's root)::

    python benchmarks/sim_risk.py 1 2 3 4 5
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "activity"))

import test_risk as sim  # the tests' simulation, imported by path

from feedback_miner.activity import risk_list


def main(seeds: list[int]) -> None:
    """Print one line per seed and variant."""
    for seed in seeds:
        log, docs, mentions, truth, complainer = sim.shop(seed=seed)
        as_of = sim.START + pd.Timedelta(days=sim.AS_OF_DAY)
        users = pd.Index([f"u{i}" for i in range(len(complainer))])
        variants = {"with text": (docs, mentions), "no text": (docs.iloc[:0], mentions.iloc[:0])}
        for name, (d, m) in variants.items():
            started = time.perf_counter()
            result = risk_list(
                log, d, m, sim.taxonomy(), inactive_days=sim.WINDOW, as_of=as_of, seed=seed
            )
            seconds = time.perf_counter() - started
            backtest = result.backtest
            table = result.table.set_index("user_id")
            stops = truth.loc[table.index]
            alive = stops.notna()  # still shopping at as-of
            forward_alive = roc_auc_score(stops[alive], table.loc[alive, "risk"])
            forward_all = roc_auc_score(stops.fillna(1.0), table["risk"])
            complaining = users[complainer].intersection(table.index)
            quiet = users[~complainer].intersection(table.index)
            aucs = ", ".join(f"{k} {a:.3f}/{b:.3f}" for k, (a, b) in backtest.auc.items())
            gain, low, high = backtest.text_gain
            print(
                f"seed {seed} {name} ({seconds:.1f} s): backtest {backtest.n_users} users, "
                f"{backtest.n_churned} churned; AUC without/with text: {aucs}; chosen "
                f"{backtest.chosen} {'with' if backtest.uses_text else 'without'} text; "
                f"gain {gain:+.3f} ({low:+.3f} to {high:+.3f}). Forward AUC: {forward_alive:.3f} "
                f"on {int(alive.sum())} users still active ({int(stops[alive].sum())} stop), "
                f"{forward_all:.3f} on all {len(table)} listed. Mean risk: complainers "
                f"{table.loc[complaining, 'risk'].mean():.3f}, others "
                f"{table.loc[quiet, 'risk'].mean():.3f}"
            )


if __name__ == "__main__":
    main([int(x) for x in sys.argv[1:]] or [5])
