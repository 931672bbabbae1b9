"""The GET forms of the activity listing and calendar: bad values are ignored, with a message
saying which filter was ignored, never an error page."""

import datetime
import re

from django import forms
from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from volunteering.activities.models import Theme
from volunteering.activities.selectors import ActivityFilters, without_private
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Skill

FILTER_IGNORED = _("筛选条件“%(label)s”无效，已忽略。")


DATE_RANGE_IGNORED = _("结束日期早于开始日期，已忽略结束日期。")


MONTH_IGNORED = _("月份无效，已显示本月。")


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")


FIRST_YEAR, LAST_YEAR = 2000, 2100


COMMUNITY_AFTER_COUNTY = _("先选县（市、区），点“筛选”后再选社区。")


CALENDAR_COMMUNITY_AFTER_COUNTY = _("先选县（市、区），点“查看”后再选社区。")


class PageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


PLACE_FIELDS = ("title", "path", "depth", "url_path")


def _community_choices():
    return without_private(CommunityPage.objects.live()).order_by("path").only(*PLACE_FIELDS)


def _choice_rows(*, themes_and_skills: bool) -> dict[str, list]:
    """The live public counties (and the themes and skills) to choose from, in one UNION
    query: (pk, title, path, depth) by kind."""
    # No ORDER BY in a compound statement's parts: sorted below.
    rows = (
        without_private(CountyPage.objects.live())
        .order_by()
        .values_list("pk", "title", "path", "depth", Value("county"))
    )
    if themes_and_skills:
        blank = (Value(""), Value(0))
        rows = rows.union(
            Theme.objects.order_by().values_list("pk", "title", *blank, Value("theme")),
            Skill.objects.order_by().values_list("pk", "name", *blank, Value("skill")),
            all=True,
        )
    by_kind: dict[str, list] = {"county": [], "theme": [], "skill": []}
    for pk, title, path, depth, kind in rows:
        by_kind[kind].append((pk, title, path, depth))
    by_kind["county"].sort(key=lambda row: row[2])
    for kind in ("theme", "skill"):
        by_kind[kind].sort(key=lambda row: row[1])
    return by_kind


class InMemoryChoiceField(forms.TypedChoiceField):
    """A choice among objects read beforehand (no query to check a value): cleans to the
    object."""

    def __init__(self, **kwargs):
        super().__init__(required=False, empty_value=None, **kwargs)
        self.objects: dict[str, object] = {}

    def set_objects(self, objects: list) -> None:
        self.objects = {str(o.pk): o for o in objects}
        self.choices = [("", _("全部"))] + [(key, str(o)) for key, o in self.objects.items()]
        self.coerce = self.objects.get


class PlaceFields(forms.Form):
    """County first, then that county's communities: the community field lists one county's
    communities (none before a county is chosen), never the whole city's hundreds, and works
    on a phone without JavaScript (choose the county, submit, choose the community)."""

    county = InMemoryChoiceField(label=_("县（市、区）"))
    community = PageChoiceField(
        queryset=CommunityPage.objects.none(),
        required=False,
        label=_("社区"),
        empty_label=_("全部"),
    )
    themes_and_skills = False
    community_after_county = COMMUNITY_AFTER_COUNTY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choice_rows = _choice_rows(themes_and_skills=self.themes_and_skills)
        self.counties = [
            CountyPage(id=pk, page_ptr_id=pk, title=title, path=path, depth=depth)
            for pk, title, path, depth in self.choice_rows["county"]
        ]
        self.fields["county"].set_objects(self.counties)
        # Checking a community is one query for that community; the options are narrowed to
        # the chosen county by `read_place` before the form is rendered.
        self.fields["community"].queryset = _community_choices()
        self.county_communities: list[CommunityPage] | None = None

    def read_place(self) -> tuple[CountyPage | None, CommunityPage | None]:
        """The chosen county and community (a community without a county chooses its county;
        a community outside the chosen county is dropped: the county was changed after it),
        with the community options narrowed to the county's (read once, kept in
        `county_communities`)."""
        data = getattr(self, "cleaned_data", {})
        county, community = data.get("county"), data.get("community")
        if community is not None:
            parent_path = community.path[: -CommunityPage.steplen]
            parent = next((c for c in self.counties if c.path == parent_path), None)
            if county is None and parent is not None:
                county = parent
                self.data = self.data.copy()
                self.data[self.add_prefix("county")] = str(parent.pk)
            elif county is not parent:
                community = None
        field = self.fields["community"]
        if county is None:
            field.queryset = field.queryset.none()
            self["community"].help_text = self.community_after_county  # the bound field is built
        else:
            self.county_communities = list(field.queryset.child_of(county))
            field.choices = [("", field.empty_label)] + [
                (c.pk, c.title) for c in self.county_communities
            ]
        return county, community


class ActivityFilterForm(PlaceFields):
    theme = InMemoryChoiceField(label=_("主题活动"))
    skill = InMemoryChoiceField(label=_("所需特长"))
    date_from = forms.DateField(
        required=False, label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    themes_and_skills = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = self.choice_rows
        self.fields["theme"].set_objects([Theme(id=r[0], title=r[1]) for r in rows["theme"]])
        self.fields["skill"].set_objects([Skill(id=r[0], name=r[1]) for r in rows["skill"]])


def read_filters(form: ActivityFilterForm) -> tuple[ActivityFilters, list[str]]:
    """The filters the form's valid fields give, and a message for each value ignored."""
    form.is_valid()
    notes = [FILTER_IGNORED % {"label": form.fields[name].label} for name in form.errors]
    values = {
        name: form.cleaned_data.get(name)
        for name in ActivityFilters.__dataclass_fields__
        if name in getattr(form, "cleaned_data", {})
    }
    values["county"], values["community"] = form.read_place()
    start, end = values.get("date_from"), values.get("date_to")
    if start and end and end < start:
        values["date_to"] = None
        notes.append(DATE_RANGE_IGNORED)
    return ActivityFilters(**values), notes


class CalendarForm(PlaceFields):
    community_after_county = CALENDAR_COMMUNITY_AFTER_COUNTY
    month = forms.CharField(required=False, max_length=7, label=_("月份"))

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data.get("month")
        if not value:
            return None
        match = MONTH_PATTERN.match(value)
        year, month = (int(match[1]), int(match[2])) if match else (0, 0)
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
            raise forms.ValidationError(MONTH_IGNORED)
        return year, month


def read_calendar(form: CalendarForm, *, today: datetime.date) -> tuple[dict, list[str]]:
    """The month (defaulting to this one) and community the calendar shows, and notes."""
    form.is_valid()
    notes = []
    if "month" in form.errors:
        notes.append(MONTH_IGNORED)
    for name in ("county", "community"):
        if name in form.errors:
            notes.append(FILTER_IGNORED % {"label": form.fields[name].label})
    county, community = form.read_place()
    year, month = getattr(form, "cleaned_data", {}).get("month") or (today.year, today.month)
    return {"year": year, "month": month, "county": county, "community": community}, notes
