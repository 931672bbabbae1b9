"""A stand-in for the city scale while `load_demo --scale city` does not exist (issue 11,
point 1): `python -m bench.standin` adds, in bulk, MEMBERS members (default 29,145) of 1,476
organisations, each confirmed in one community, one resident's item per 3 members and NEWS
(default 1,000) news items to a demo database. The same communities and pages as the demo: only
the rows behind them grow. bench/run.py uses it only when load_demo has no --scale option and
CITY_STANDIN is not 0."""

import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_local")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from news.models import NewsIndexPage, NewsPage  # noqa: E402
from volunteering.communities.models import CommunityPage  # noqa: E402
from volunteering.people.models import Member, Organisation  # noqa: E402
from volunteering.reporting.models import Report  # noqa: E402
from volunteering.voice.models import Feedback, new_receipt_code  # noqa: E402
from workflows.statemachine import fixture_states  # noqa: E402

BATCH = 2000


@transaction.atomic
def add_rows(members: int, organisations: int, news: int) -> None:
    communities = list(CommunityPage.objects.live())
    kinds = Organisation.Kind.values
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"基准单位{n}", kind=kinds[n % len(kinds)]) for n in range(organisations)
    )
    users = get_user_model().objects.bulk_create(
        (get_user_model()(username=f"standin{n}") for n in range(members)), batch_size=BATCH
    )
    people = Member.objects.bulk_create(
        (
            Member(user=u, real_name=f"党员{n}", organisation=orgs[n % len(orgs)])
            for n, u in enumerate(users)
        ),
        batch_size=BATCH,
    )
    now = timezone.now()
    with fixture_states():
        Report.objects.bulk_create(
            (
                Report(
                    member=m,
                    community=communities[n % len(communities)],
                    kind=Report.Kind.VOLUNTARY,
                    is_primary=True,
                    state=Report.State.CONFIRMED,
                    state_changed_at=now,
                )
                for n, m in enumerate(people)
            ),
            batch_size=BATCH,
        )
        Feedback.objects.bulk_create(
            (
                Feedback(
                    community=communities[n % len(communities)],
                    kind=Feedback.Kind.SUGGESTION,
                    text="基准测试意见",
                    code=new_receipt_code(),
                    state=Feedback.State.ACCEPTED,
                    heard_on=(now - timezone.timedelta(days=n % 360)).date(),
                )
                for n in range(members // 3)
            ),
            batch_size=BATCH,
        )
    channel = NewsIndexPage.objects.get(slug="news", depth=3)
    for n in range(news):
        channel.add_child(
            instance=NewsPage(
                title=f"基准测试新闻 {n}",
                date=now - timezone.timedelta(hours=n),
                body=[("paragraph", "<p>社区开展法律援助和便民服务活动。</p>" * 5)],
            )
        )


if __name__ == "__main__":
    add_rows(
        members=int(os.environ.get("MEMBERS", "29145")),
        organisations=1476,
        news=int(os.environ.get("NEWS", "1000")),
    )
