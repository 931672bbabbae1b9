"""What every part of the city builder shares (`manage.py load_demo --scale`): the report's
figures and how they scale, the seeded randomness, progress lines, and saving in bulk with
history.

The city is the report's (9 counties, 256 communities, 1,476 organisations, 29,145 members,
2,050 activities, ~40,000 sign-ups, 9,000 residents' items, 3,000 news items), counted with the
demo's own content; `--scale N` builds the same city for N members, every other count in
proportion (with a floor, so that a small city still has every kind and every state)."""

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

CITY_MEMBERS = 29_145
# The report's city, demo included.
CITY = {
    "counties": 9,
    "communities": 256,
    "organisations": 1_476,
    "members": CITY_MEMBERS,
    "activities": 2_050,
    "feedback": 9_000,
    "news": 3_000,
    "teams": 520,
    "good_deeds": 1_500,
}
# The smallest city `--scale` builds, and the largest (four cities).
MIN_MEMBERS = 100
MAX_MEMBERS = 4 * CITY_MEMBERS
BATCH = 1_000
# City members' accounts are named city-00001 …: how a second run knows the city is there.
USERNAME_PREFIX = "city-"
SEED = 2014


@dataclass
class Scale:
    members: int  # the city's members, demo included

    @property
    def ratio(self) -> float:
        return self.members / CITY_MEMBERS

    def extra(self, name: str, *, existing: int, minimum: int) -> int:
        """How many `name` to add to the `existing` ones for this city (at least `minimum`)."""
        return max(minimum, round(CITY[name] * self.ratio) - existing)


@dataclass
class City:
    """What the builder made so far, passed from one step to the next."""

    scale: Scale
    rng: random.Random
    fake: Faker
    now: datetime.datetime
    counties: list = field(default_factory=list)
    communities: list = field(default_factory=list)  # every community, demo's included
    organisations: list = field(default_factory=list)
    members: list = field(default_factory=list)  # the city's new members
    # community id → ids of members with a confirmed report there
    confirmed: dict = field(default_factory=lambda: defaultdict(list))
    teams: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    news: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def days_ago(self, low: int, high: int) -> datetime.datetime:
        seconds = self.rng.randint(low * 86_400, high * 86_400)
        return self.now - datetime.timedelta(seconds=seconds)


def new_city(members: int) -> City:
    fake = Faker("zh_CN")
    fake.seed_instance(SEED)
    return City(
        scale=Scale(members),
        rng=random.Random(SEED),
        fake=fake,
        now=timezone.now().replace(microsecond=0),
    )


class Progress:
    """`[3/11] 在职党员 …` then the step's count and seconds, one line per step."""

    def __init__(self, write: Callable[[str], None], steps: int):
        self.write, self.steps, self.done = write, steps, 0
        self.started = time.perf_counter()

    @contextmanager
    def step(self, label: str):
        self.done += 1
        began = time.perf_counter()
        bar = "#" * self.done + "." * (self.steps - self.done)
        self.write(f"[{bar}] {self.done}/{self.steps} {label} …")
        note = {}
        yield note
        took = time.perf_counter() - began
        total = time.perf_counter() - self.started
        self.write(f"    {note.get('count', '')} {label} · {took:.1f} s (共 {total:.1f} s)")


def save_with_history(model: type[models.Model], objs: list) -> list:
    """`bulk_create_with_history`: the rows and one history row each."""
    if objs:
        bulk_create_with_history(objs, model, batch_size=BATCH)
    return objs


def save_seeded(machine, seeded: Iterable[tuple[str, models.Model]]) -> list:
    """Objects made by `machine.seeded(via, …)`, saved with their history rows, which record the
    transition `via` (one `bulk_create_with_history` per transition)."""
    groups = defaultdict(list)
    for via, obj in seeded:
        groups[via].append(obj)
    saved = []
    for via, objs in groups.items():
        bulk_create_with_history(
            objs,
            machine.model,
            batch_size=BATCH,
            custom_historical_attrs=machine.seeded_history(via),
        )
        saved.extend(objs)
    return saved


@contextmanager
def given_creation_times(*model_classes: type[models.Model]):
    """Inside: `created_at` is saved as given (a city grown over years), not stamped now."""
    fields = [m._meta.get_field("created_at") for m in model_classes]
    before = [(f, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in before:
            f.auto_now_add = value


def pick_weighted(rng: random.Random, table: dict) -> object:
    """One key of `table`, with its value as weight."""
    return rng.choices(list(table), weights=list(table.values()))[0]
