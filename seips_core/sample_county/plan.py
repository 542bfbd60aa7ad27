"""How much the sample holds: the county a panel sees, or a national-sized store for benchmarks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    """The size of a sample, per area; an area is one local authority with its partnerships.

    The first area is always the county itself (``config.COUNTY_LA``); with ``plant`` it also
    holds the deliberate cases that make every rule of the flag catalogue fire once. Areas after
    the first vary in size around the per-area figures, as real authorities do.
    """

    areas: int
    partnerships_per_area: int
    schools_per_area: int
    non_members_per_area: int
    pupils_per_area: int
    fair_access_per_area: int
    providers_per_area: int
    plant: bool = True


#: One county: 5 partnerships, ~55 schools, ~2,000 pupils known to the partnerships.
COUNTY = Plan(
    areas=1,
    partnerships_per_area=5,
    schools_per_area=55,
    non_members_per_area=2,
    pupils_per_area=1940,
    fair_access_per_area=60,
    providers_per_area=25,
)

#: About 150 authorities: ~3,400 schools and ~250,000 pupils, for benchmarks.
NATIONAL = Plan(
    areas=150,
    partnerships_per_area=5,
    schools_per_area=23,
    non_members_per_area=1,
    pupils_per_area=1620,
    fair_access_per_area=50,
    providers_per_area=21,
)

PLANS = {"county": COUNTY, "national": NATIONAL}
