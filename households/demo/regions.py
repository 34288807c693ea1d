"""The demo county's layout: county, 17 townships, ~200 villages, 18 departments.

The layout does not depend on --seed (its own fixed random stream), so a re-seed after
--reset reuses the same regions by code even when they could not be deleted.
"""

import random
from dataclasses import dataclass

from households.models import County, Department, Township, Village

from . import names

LAYOUT_SEED = "povertycase-demo-layout"
VILLAGES_PER_TOWNSHIP = (8, 16)  # about 200 villages over 17 townships
POOR_VILLAGE_SHARE = 0.4
HOME_VILLAGE_SIZE = 200  # the demo scopes' village: large enough to hold the helper's households
LARGEST_VILLAGE = ("沙坪村", 227)


@dataclass
class Layout:
    county: County
    townships: list[Township]
    villages: list[Village]
    weights: dict[int, int]  # village pk -> relative size (households in the seed county)
    departments: dict[str, Department]  # by name

    @property
    def home_township(self) -> Township:
        return self.townships[0]

    @property
    def home_village(self) -> Village:
        return self.villages[0]


def build_layout() -> Layout:
    rng = random.Random(LAYOUT_SEED)
    county, _ = County.objects.update_or_create(code=names.COUNTY[0], defaults={"name": names.COUNTY[1]})
    townships = [_township(county, i, name) for i, name in enumerate(names.TOWNSHIPS)]
    villages, weights = [], {}
    village_names = _village_names(rng)
    for t_index, township in enumerate(townships):
        for v_index in range(rng.randint(*VILLAGES_PER_TOWNSHIP)):
            name, size = _village_name_and_size(rng, village_names, t_index, v_index)
            village = _village(rng, township, v_index, name)
            villages.append(village)
            weights[village.pk] = size
    return Layout(county, townships, villages, weights, _departments())


def _township(county: County, index: int, name: str) -> Township:
    town_count = sum(1 for n in names.TOWNSHIPS[:index] if n.endswith("镇"))
    number = 101 + town_count if name.endswith("镇") else 201 + (index - town_count)
    township, _ = Township.objects.update_or_create(
        code=f"{county.code}{number:03d}", defaults={"county": county, "name": name}
    )
    return township


def _village_names(rng: random.Random) -> list[str]:
    combos = [p + s + "村" for p in names.VILLAGE_PREFIXES for s in names.VILLAGE_SUFFIXES]
    rng.shuffle(combos)
    return combos


def _village_name_and_size(rng, pool: list[str], t_index: int, v_index: int) -> tuple[str, int]:
    size = int(rng.triangular(25, 230, 70))
    if (t_index, v_index) == (0, 0):
        return names.TOWNSHIPS[0][:-1] + "村", HOME_VILLAGE_SIZE  # 青石镇青石村
    if (t_index, v_index) == (1, 0):
        return LARGEST_VILLAGE
    name = pool.pop()
    while name in {LARGEST_VILLAGE[0], names.TOWNSHIPS[0][:-1] + "村"}:
        name = pool.pop()
    return name, size


def _village(rng: random.Random, township: Township, index: int, name: str) -> Village:
    is_poor = index == 0 or rng.random() < POOR_VILLAGE_SHARE
    defaults = {
        "township": township,
        "name": name,
        "is_poor": is_poor,
        "exit_year": rng.choice((2016, 2017, 2018, 2018, 2019, 2019, 2020)) if is_poor else None,
        "is_remote": rng.random() < (0.35 if is_poor else 0.1),
    }
    village, _ = Village.objects.update_or_create(
        code=f"{township.code}{200 + index + 1:03d}", defaults=defaults
    )
    return village


def _departments() -> dict[str, Department]:
    result = {}
    for index, (name, kind) in enumerate(names.DEPARTMENTS, start=1):
        department, _ = Department.objects.update_or_create(
            code=f"D{index:02d}", defaults={"name": name, "kind": kind}
        )
        result[name] = department
    return result


def allocate(total: int, weights: dict[int, int]) -> dict[int, int]:
    """Split `total` households over villages in proportion to their sizes (largest remainder)."""
    weight_sum = sum(weights.values())
    exact = {pk: total * w / weight_sum for pk, w in weights.items()}
    counts = {pk: int(value) for pk, value in exact.items()}
    by_remainder = sorted(exact, key=lambda pk: (counts[pk] - exact[pk], pk))
    for pk in by_remainder[: total - sum(counts.values())]:
        counts[pk] += 1
    return counts
