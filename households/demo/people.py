"""Attributes of one demo member that follow from age, sex and health, kept consistent with
the member checks of DOMAIN.md §9.4 (student stage fits age, labour fits age and health …).

All values are code-list codes; the comments name the list.
"""

import datetime
import random

from povertycase import idnumbers

from . import names

HEALTHY, CHRONIC, SERIOUS, DISABLED = "1", "2", "3", "4"  # health
SKILLED, ORDINARY, WEAK, LOST, NONE = "1", "2", "3", "4", "5"  # labour
HAS_LABOUR = {SKILLED, ORDINARY}
NOT_WORKING = "0"  # work_status
PRESCHOOL_CHILD, ILLITERATE, PRIMARY, JUNIOR, SENIOR, COLLEGE = (
    "10",
    "20",
    "30",
    "40",
    "50",
    "60",
)  # education
HAN, OTHER_ETHNIC = "01", ("03", "06", "15")  # ethnicity: 汉族; 回族, 苗族, 土家族
PARTY_MEMBER, YOUTH_LEAGUE, MASSES = "1", "3", "5"  # political

STAGES = {  # student_status codes by stage
    "preschool": "10",
    "primary": "20",
    "grade7": "31",
    "grade8": "32",
    "grade9": "33",
    **{f"senior{i}": f"4{i}" for i in (1, 2, 3)},
    **{f"vocational{i}": f"5{i}" for i in (1, 2, 3)},
    **{f"college{i}": f"6{i}" for i in (1, 2, 3)},
    "university": "70",
}
HEALTH_BY_AGE = (  # (max age, weights of 健康, 慢性病, 大病, 残疾)
    (15, (97, 1, 0, 2)),
    (59, (80, 11, 3, 6)),
    (200, (48, 34, 7, 11)),
)
WORK_PLACES = (("1", 15), ("2", 20), ("3", 25), ("4", 40))  # work_status: 乡内 … 省外


def birth_date_for(rng: random.Random, age: int, as_of: datetime.date) -> datetime.date:
    """A birth date giving exactly `age` full years at `as_of`."""
    latest = _years_before(as_of, age)
    return latest - datetime.timedelta(days=rng.randrange(365))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class IdAllocator:
    """Unique ID numbers: one running sequence per (birth date, sex) in the county's region."""

    def __init__(self, region: str, rng: random.Random):
        self.region, self.rng, self.next = region, rng, {}

    def make(self, birth: datetime.date, sex: str) -> str:
        key = (birth, sex)
        sequence = self.next.get(key)
        if sequence is None:
            sequence = self.rng.randrange(0, 300)
        self.next[key] = sequence + 1
        if sequence >= 500:
            raise RuntimeError(f"more than 500 people born on {birth} with sex {sex}")
        return idnumbers.make(self.region, birth, sequence, sex)


def age_of(member, as_of: datetime.date) -> int:
    return idnumbers.age_at(member.birth_date, as_of)


def cohort(birth_year: int) -> str:
    return "old" if birth_year < 1965 else "mid" if birth_year < 1990 else "young"


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    return rng.choice(names.GIVEN_NAMES[(cohort(birth_year), sex)])


def pick_health(rng: random.Random, age: int) -> str:
    weights = next(w for limit, w in HEALTH_BY_AGE if age <= limit)
    return rng.choices((HEALTHY, CHRONIC, SERIOUS, DISABLED), weights=weights)[0]


def disability_cert(rng: random.Random, id_number: str) -> tuple[str, int, int]:
    """Second-generation certificate number: ID + category (1-7) + level (1-4)."""
    category = rng.choices(range(1, 8), weights=(12, 14, 3, 45, 12, 8, 6))[0]
    level = rng.choices(range(1, 5), weights=(12, 25, 33, 30))[0]
    return f"{id_number}{category}{level}", category, level


def schooling(rng: random.Random, age: int) -> tuple[str, str]:
    """(student_status, education) for a child or young adult; ('', '') = decide as adult."""
    stages = STAGES
    if age <= 2:
        return "", PRESCHOOL_CHILD
    if age <= 5:
        return (stages["preschool"] if rng.random() < 0.75 else ""), PRESCHOOL_CHILD
    if age == 6:
        return (stages["primary"], PRIMARY) if rng.random() < 0.5 else (stages["preschool"], PRESCHOOL_CHILD)
    if age <= 11:
        return stages["primary"], PRIMARY
    if age <= 15:
        junior = {12: "grade7", 13: "grade7", 14: "grade8", 15: "grade9"}[age]
        if age == 12 and rng.random() < 0.5:
            return stages["primary"], PRIMARY
        return stages[junior], JUNIOR
    if age <= 18:
        if age == 16 or rng.random() < 0.7:
            year = min(age - 15, 3)
            track = "senior" if rng.random() < 0.65 else "vocational"
            return stages[f"{track}{year}"], SENIOR
        return "", ""
    if age <= 22 and rng.random() < 0.3:
        return (stages[f"college{min(age - 18, 3)}"] if age <= 21 else stages["university"]), COLLEGE
    return "", ""


def adult_education(rng: random.Random, birth_year: int, age: int) -> str:
    if birth_year < 1960:
        options = ((ILLITERATE, 40), (PRIMARY, 45), (JUNIOR, 15))
    elif birth_year < 1976:
        options = ((ILLITERATE, 10), (PRIMARY, 40), (JUNIOR, 40), (SENIOR, 10))
    elif birth_year < 1991:
        options = ((PRIMARY, 20), (JUNIOR, 55), (SENIOR, 18), (COLLEGE, 7))
    else:
        options = ((JUNIOR, 45), (SENIOR, 37), (COLLEGE, 18))
    education = rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
    if age <= 22 and education in (ILLITERATE, PRIMARY):
        education = JUNIOR
    return education


def labour_for(rng: random.Random, age: int, health: str, student: bool, severe_physical: bool) -> str:
    if age < 16 or student:
        return NONE
    if age >= 70:
        return LOST if rng.random() < 0.6 else NONE
    if age >= 60:
        return WEAK if health in (HEALTHY, CHRONIC) and rng.random() < 0.85 else LOST
    if health == HEALTHY:
        return SKILLED if rng.random() < 0.25 else ORDINARY
    if health == CHRONIC:
        return ORDINARY if rng.random() < 0.5 else WEAK
    if health == SERIOUS or severe_physical:
        return LOST if rng.random() < 0.6 else WEAK
    return WEAK if rng.random() < 0.6 else ORDINARY


def work_for(rng: random.Random, labour: str) -> tuple[str, int | None]:
    """(work_status, months). Only members with labour work; skilled ones always do."""
    if labour not in HAS_LABOUR or (labour == ORDINARY and rng.random() < 0.3):
        return NOT_WORKING, None
    return start_work(rng)


def start_work(rng: random.Random) -> tuple[str, int]:
    place = rng.choices([p for p, _ in WORK_PLACES], weights=[w for _, w in WORK_PLACES])[0]
    return place, rng.randint(3, 12)


def political_for(rng: random.Random, age: int) -> str:
    if age >= 18 and rng.random() < 0.04:
        return PARTY_MEMBER
    if 14 <= age <= 28 and rng.random() < 0.25:
        return YOUTH_LEAGUE
    return MASSES


def ethnicity_for(rng: random.Random) -> str:
    return HAN if rng.random() < 0.97 else rng.choice(OTHER_ETHNIC)
