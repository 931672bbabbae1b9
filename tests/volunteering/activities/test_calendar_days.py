"""The month calendar's days are counted and ranked in the database (`portal.day_spans`): local
(Asia/Shanghai) days, an activity on every day from its start's date to its end's date, and at
most `CALENDAR_DAY_LIMIT` rows a day read, however many activities the month has."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.volunteering.activities.test_listing import html_of, index, local  # noqa: F401
from volunteering.activities.models import ActivityPage
from volunteering.activities.selectors import CALENDAR_DAY_LIMIT, activities_by_day


def activity(parent, title, starts_at, ends_at):
    return factories.ActivityPageFactory(
        parent=parent, title=title, starts_at=starts_at, ends_at=ends_at
    )


def july(site_tree) -> dict[datetime.date, tuple[list[str], int]]:
    return {
        day: ([page.title for page in on_day.activities], on_day.more)
        for day, on_day in activities_by_day(year=2014, month=7).items()
    }


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime(2014, 7, day, hour, minute))


def test_activities_near_midnight_are_on_their_local_day(site_tree):
    ActivityPage.objects.all().delete()
    activity(site_tree.community, "深夜", at(17, 23, 30), at(17, 23, 59))
    # 00:10 in Shanghai is 16:10 UTC the day before: a UTC day would put it on the 17th.
    activity(site_tree.community, "凌晨", at(18, 0, 10), at(18, 1))
    days = july(site_tree)
    assert days == {
        datetime.date(2014, 7, 17): (["深夜"], 0),
        datetime.date(2014, 7, 18): (["凌晨"], 0),
    }


def test_an_activity_is_on_each_day_it_spans_and_one_ending_at_midnight_on_the_next(site_tree):
    ActivityPage.objects.all().delete()
    activity(site_tree.community, "跨月", at(30, 9), local(2014, 8, 2, 12))
    activity(site_tree.community, "到午夜", at(10, 20), at(11, 0))
    days = july(site_tree)
    # The calendar of July 2014 runs from Monday 30 June to Sunday 3 August.
    spanned = [datetime.date(2014, 7, 30), datetime.date(2014, 7, 31)]
    spanned += [datetime.date(2014, 8, 1), datetime.date(2014, 8, 2)]
    assert {day for day, (titles, _) in days.items() if "跨月" in titles} == set(spanned)
    assert {day for day, (titles, _) in days.items() if "到午夜" in titles} == {
        datetime.date(2014, 7, 10),
        datetime.date(2014, 7, 11),
    }


def test_a_busy_day_counts_the_rest_after_its_first_activities(site_tree):
    ActivityPage.objects.all().delete()
    activity(site_tree.community, "前一天开始", at(9, 9), at(10, 18))
    for n in range(CALENDAR_DAY_LIMIT + 2):
        activity(site_tree.other_community, f"当天{n}", at(10, 8 + n), at(10, 9 + n))
    days = july(site_tree)
    firsts = ["前一天开始", *(f"当天{n}" for n in range(CALENDAR_DAY_LIMIT - 1))]
    assert days[datetime.date(2014, 7, 10)] == (firsts, 3)
    assert days[datetime.date(2014, 7, 9)] == (["前一天开始"], 0)


def test_the_calendar_reads_at_most_a_cell_of_rows_a_day(client, site_tree, index):  # noqa: F811
    """Its first query ranks the days' activities in the database; the rows it returns and
    the activities it reads do not grow with the month's activities."""
    for n in range(12):
        activity(site_tree.community, f"七月十日{n}", at(10, 8), at(10, 9, n))
    url = f"{index.url}calendar/?month=2014-07"
    html_of(client, url)
    with CaptureQueriesContext(connection) as captured:
        html = html_of(client, url)
    assert f"还有 {12 - CALENDAR_DAY_LIMIT} 个活动" in html
    ranked = [q["sql"] for q in captured.captured_queries if "ROW_NUMBER()" in q["sql"]]
    assert len(ranked) == 1, [q["sql"] for q in captured.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({ranked[0]}) counted")
        assert cursor.fetchone()[0] == CALENDAR_DAY_LIMIT  # one day's cell, not its 12 rows
