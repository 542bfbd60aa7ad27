"""The sample county: a synthetic, current-looking store for demos, tests and benchmarks.

``generate_sample(engine)`` fills an empty store with a county's partnerships, schools,
pupils and their histories; ``scale="national"`` makes ~150 authorities' worth for benchmarks.
"""

from .county import generate_sample

__all__ = ["generate_sample"]
