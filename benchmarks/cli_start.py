"""How long the command line takes to answer ``seips --help``, beside the bare package import.

Run ``python -m benchmarks.cli_start [--runs N]``. Each command runs N times (7 by default) in
a new Python process; the best and the median wall-clock and CPU (user + system) times are
printed side by side with the ratio to ``import seips_core``, measured in the same run. Issue
13's target: ``seips --help`` within 5x the bare import. It asserts nothing about time.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SEIPS = str(Path(sys.executable).parent / "seips")
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import seips_core'": [sys.executable, "-c", "import seips_core"],
    "seips --help": [SEIPS, "--help"],
    "seips user --help": [SEIPS, "user", "--help"],
}


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    figures = {name: [timed(command) for _ in range(runs)] for name, command in COMMANDS.items()}
    base_wall = min(wall for wall, _cpu in figures["python -c 'import seips_core'"])
    base_cpu = min(cpu for _wall, cpu in figures["python -c 'import seips_core'"])
    print(f"{runs} runs each; best and median; ratio of the best to the bare package import")
    print(f"{'command':<32}{'wall best':>10}{'median':>9}{'ratio':>7}{'CPU best':>10}{'ratio':>7}")
    for name, measured in figures.items():
        walls, cpus = [w for w, _c in measured], [c for _w, c in measured]
        wall_ratio, cpu_ratio = min(walls) / base_wall, min(cpus) / max(base_cpu, 1e-3)
        print(
            f"{name:<32}{min(walls):>9.3f}s{statistics.median(walls):>8.3f}s"
            f"{wall_ratio:>6.1f}x{min(cpus):>9.3f}s{cpu_ratio:>6.1f}x"
        )


if __name__ == "__main__":
    main()
