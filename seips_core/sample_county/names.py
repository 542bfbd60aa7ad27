"""Invented names, so nobody mistakes the sample for real pupils, schools or providers.

Surnames and place names are built from word parts ("Bracken" + "fold") that make names no
register holds; first names are ordinary, but only ever paired with an invented surname.
"""

from itertools import product
from random import Random

from ..config import CITY_LA, COUNTY_LA


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Amelia Aarav Alfie Ava Bella Caleb Chloe Daisy Dylan Ella Elijah Emily Evie Ezra Finley "
    "Freya George Grace Harper Harry Hugo Imogen Isaac Isla Ivy Jack Jacob Jasmine Jude Kai "
    "Layla Leo Lily Logan Luca Maisie Mason Maya Mia Millie Mohammed Noah Nova Olivia Oscar "
    "Phoebe Poppy Priya Reuben Riley Rosie Ruby Sam Sienna Sofia Theo Thomas Toby Willow Zara"
)

_SURNAME_STARTS = _words(
    "Bracken Thistle Marrow Hollin Quill Gorse Sedge Bramble Rook Heron Pebble Nettle Tansy "
    "Kestrel Briar Cinder Dapple Gannet Juniper Mallow Oriel Sorrel Teasel Umber Vetch Yarrow "
    "Otter Fennick Larkin Wimble"
)
_SURNAME_ENDS = _words(
    "fold wick thorpe combe ridge hurst mere wold stead garth holme lowe shaw by den croft "
    "bourne hythe"
)
SURNAMES = tuple(start + end for start, end in product(_SURNAME_STARTS, _SURNAME_ENDS))

_PLACE_STARTS = _words(
    "Oak Ash Elm Birch Holly Thorn Clay Stone Mill Brook Fox Hart Raven Swan Lark Marsh Heath "
    "Wych Hay Ember Fallow Glen Harrow Ivy Alder Bex Cress Dun Eld Fern Gilden Hazel Kettle "
    "Linden Moor Nether Orrin Pell Quarry Rush"
)
_PLACE_ENDS = _words("mere field ford ham ton wood bury leigh well dale brook gate hill stow worth")
PLACES = tuple(start + end for start, end in product(_PLACE_STARTS, _PLACE_ENDS))

SCHOOL_KINDS = (
    "Academy",
    "High School",
    "Community College",
    "School",
    "Church of England Academy",
    "Upper School",
    "Learning Campus",
    "College",
)
AP_KINDS = (
    "Outdoor Learning",
    "Skills Centre",
    "Boxing Academy",
    "Farm School",
    "Motor Project",
    "Arts Hub",
    "Learning Centre",
    "Equine Centre",
    "Construction Skills",
    "Mentoring Project",
)
REGISTERED_KIND = "Independent School"
WORK_EXPERIENCE_KINDS = ("Garage Ltd", "Builders Ltd", "Nurseries", "Catering Co")

#: The county's partnerships (R1): code and name.
PARTNERSHIPS = (
    ("NW", "North Wold"),
    ("HB", "Harbury and Brookleigh"),
    ("ME", "Melbury East"),
    ("SW", "South Wychdale"),
    ("CV", "Cressvale"),
)

#: R4: the city next door (``config.CITY_LA``), where ~8% of the county's pupils live, and
#: further authorities a few pupils come from.
OTHER_LAS = ("Borough of Lowbridge", "Northmarsh Council")
_LA_KINDS = ("County Council", "City Council", "Borough Council", "Council")


def full_name(rng: Random) -> tuple[str, str]:
    """An invented person: first name and surname."""
    return rng.choice(FIRST_NAMES), rng.choice(SURNAMES)


def initials(name: tuple[str, str]) -> str:
    """``("Ava", "Brackenfold")`` → ``"A. Brackenfold"``, as minutes write it."""
    return f"{name[0][0]}. {name[1]}"


class NamePool:
    """Distinct names "<stem> <kind>" handed out in a seeded order, never twice in one store."""

    def __init__(self, rng: Random, stems: tuple[str, ...], kinds: tuple[str, ...]) -> None:
        self._names = [f"{stem} {kind}" for stem, kind in product(stems, kinds)]
        rng.shuffle(self._names)

    def take(self, count: int) -> list[str]:
        taken, self._names = self._names[:count], self._names[count:]
        if len(taken) < count:
            raise ValueError(f"the name pool ran out: {count} asked, {len(taken)} left")
        return taken


def authority_names(count: int) -> list[str]:
    """The national sample's authorities: the county first, the city second, then invented ones."""
    invented = [f"{place} {kind}" for kind, place in product(_LA_KINDS, PLACES)]
    rest = [name for name in invented if name not in (COUNTY_LA, CITY_LA)]
    return [COUNTY_LA, CITY_LA, *rest][:count]
