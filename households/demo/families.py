"""Who lives in a demo household: relation to the head, sex and age of each member.

Relations and sexes are code-list codes (relation, sex); ages are full years at the
reference date. Generations keep at least 18 years between parent and child.
"""

import random

MALE, FEMALE = "1", "2"
HEAD, SPOUSE, SON, DAUGHTER, DAUGHTER_IN_LAW = "01", "02", "03", "04", "05"
GRANDSON, GRANDDAUGHTER, FATHER, MOTHER = "07", "08", "13", "14"

# (shape, weight) for households that are not 特困供养.
SHAPES = (
    ("single_elderly", 6),
    ("elderly_couple", 12),
    ("nuclear", 35),
    ("nuclear_with_parents", 12),
    ("three_generations", 20),
    ("single_parent", 8),
    ("left_behind", 7),
)
TEKUN_SHAPES = (("single_elderly", 70), ("single_disabled", 20), ("elderly_couple", 10))


def compose(rng: random.Random, *, tekun: bool, child_age: tuple[int, int] | None = None) -> list[tuple]:
    """[(relation, sex, age)], head first. `child_age` forces a child of the head in that range."""
    if child_age:
        shape = "nuclear"
    else:
        shapes = TEKUN_SHAPES if tekun else SHAPES
        shape = rng.choices([s for s, _ in shapes], weights=[w for _, w in shapes])[0]
    members = globals()[f"_{shape}"](rng)
    if child_age and not any(rel in (SON, DAUGHTER) and _in(age, child_age) for rel, _, age in members):
        members = _nuclear(rng, forced_child=child_age)
    return members


def _in(age: int, band: tuple[int, int]) -> bool:
    return band[0] <= age <= band[1]


def _other(sex: str) -> str:
    return FEMALE if sex == MALE else MALE


def _head_and_spouse(rng, head_age: int, *, head_sex: str = MALE, spouse: bool = True) -> list[tuple]:
    members = [(HEAD, head_sex, head_age)]
    if spouse:
        gap = rng.randint(0, 5)
        spouse_age = head_age - gap if head_sex == MALE else head_age + gap
        members.append((SPOUSE, _other(head_sex), max(spouse_age, 18)))
    return members


def _children(rng, mother_age: int, count: int, *, forced: tuple[int, int] | None = None) -> list[tuple]:
    """Children of a mother aged `mother_age`, born when she was 20-40, at least a year apart."""
    ages: list[int] = []
    if forced:
        low, high = forced[0], min(forced[1], mother_age - 20)
        ages.append(rng.randint(low, max(low, high)))
    oldest = mother_age - 20
    while len(ages) < count and oldest >= max(0, mother_age - 40):
        age = rng.randint(max(0, mother_age - 40), oldest)
        if all(abs(age - a) >= 1 for a in ages):
            ages.append(age)
        else:
            oldest -= 1
    return [
        ((SON, MALE) if rng.random() < 0.53 else (DAUGHTER, FEMALE)) + (age,)
        for age in sorted(ages, reverse=True)
    ]


def _single_elderly(rng) -> list[tuple]:
    return [(HEAD, MALE if rng.random() < 0.55 else FEMALE, rng.randint(64, 90))]


def _single_disabled(rng) -> list[tuple]:
    return [(HEAD, MALE if rng.random() < 0.7 else FEMALE, rng.randint(40, 63))]


def _elderly_couple(rng) -> list[tuple]:
    return _head_and_spouse(rng, rng.randint(62, 86))


def _nuclear(rng, *, forced_child: tuple[int, int] | None = None) -> list[tuple]:
    head_age = rng.randint(28, 55)
    if forced_child:
        head_age = max(head_age, forced_child[0] + 25)
    members = _head_and_spouse(rng, head_age)
    mother_age = members[1][2]
    if forced_child:
        mother_age = max(mother_age, forced_child[0] + 20)
        members[1] = (SPOUSE, FEMALE, mother_age)
    return members + _children(rng, mother_age, rng.choice((1, 2, 2, 3)), forced=forced_child)


def _nuclear_with_parents(rng) -> list[tuple]:
    members = _nuclear(rng)
    head_age = members[0][2]
    father_age = min(head_age + rng.randint(22, 34), 95)
    parents = [(FATHER, MALE, father_age)] if rng.random() < 0.4 else []
    parents.append((MOTHER, FEMALE, min(father_age - rng.randint(0, 4), 92)))
    return members + parents


def _three_generations(rng) -> list[tuple]:
    head_age = rng.randint(52, 76)
    members = _head_and_spouse(rng, head_age, spouse=rng.random() < 0.8)
    son_age = rng.randint(max(22, head_age - 36), head_age - 22)
    daughter_in_law_age = max(20, son_age - rng.randint(0, 4))
    members += [(SON, MALE, son_age), (DAUGHTER_IN_LAW, FEMALE, daughter_in_law_age)]
    grandchildren = _children(rng, daughter_in_law_age, rng.choice((1, 2, 2)))
    members += [(GRANDSON if sex == MALE else GRANDDAUGHTER, sex, age) for _, sex, age in grandchildren]
    return members


def _single_parent(rng) -> list[tuple]:
    head_age = rng.randint(32, 58)
    members = [(HEAD, FEMALE, head_age)]
    return members + _children(rng, head_age, rng.choice((1, 2, 2, 3)))


def _left_behind(rng) -> list[tuple]:
    """Grandparents raising grandchildren whose parents work away (registered elsewhere)."""
    head_age = rng.randint(55, 76)
    members = _head_and_spouse(rng, head_age, spouse=rng.random() < 0.75)
    grandchildren = []
    for _ in range(rng.choice((1, 2))):
        age = rng.randint(2, min(16, head_age - 40))
        sex = MALE if rng.random() < 0.53 else FEMALE
        grandchildren.append((GRANDSON if sex == MALE else GRANDDAUGHTER, sex, age))
    return members + sorted(grandchildren, key=lambda m: -m[2])
