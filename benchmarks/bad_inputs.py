"""Wall-clock time of loading each bad-input case (tests/test_bad_inputs.py), slowest first.

Timings never go in tests; this script measures them. Each case is built in a fresh temporary
data folder beside a good entity file and loaded once; the target is under 2 s per case.

    python benchmarks/bad_inputs.py            # print every case, exit 1 if one is over target
    python benchmarks/bad_inputs.py --top 5    # only the slowest five
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0


def run() -> list[tuple[str, float]]:
    """(case name, seconds to load its data folder) for every case, slowest first."""
    from forcedata.load import load_dataset
    from tests.test_bad_inputs import CASES, build_case

    load_dataset(ROOT / "data")  # NOTE: warm up imports and caches so the first case is not penalised
    times = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp)
            for name in ("sources.yaml", "metrics.yaml"):
                shutil.copy(ROOT / "data" / name, data_dir / name)
            (data_dir / "forces").mkdir()
            saved = {key: os.environ.get(key) for key in [*case.env, "FORCEDATA_MAX_FILE_BYTES"]}
            os.environ.pop("FORCEDATA_MAX_FILE_BYTES", None)
            os.environ.update(case.env)
            try:
                build_case(case, data_dir)
                start = time.perf_counter()
                load_dataset(data_dir)
                times.append((case.name, time.perf_counter() - start))
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
    return sorted(times, key=lambda t: -t[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=None, help="print only the N slowest cases")
    args = parser.parse_args(argv)
    times = run()
    for name, seconds in times[: args.top]:
        flag = "  OVER TARGET" if seconds > TARGET_SECONDS else ""
        print(f"{seconds:7.3f} s  {name}{flag}")
    slow = [name for name, seconds in times if seconds > TARGET_SECONDS]
    print(f"{len(times)} cases, slowest {times[0][1]:.3f} s ({times[0][0]}), target < {TARGET_SECONDS:g} s each")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
