"""The GET forms of the activity listing and calendar: bad values are ignored, with a message
saying which filter was ignored, never an error page."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from volunteering.activities.models import Theme
from volunteering.activities.selectors import ActivityFilters
from volunteering.communities.models import CommunityPage, CountyPage
from volunteering.people.models import Skill

FILTER_IGNORED = _("筛选条件“%(label)s”无效，已忽略。")


DATE_RANGE_IGNORED = _("结束日期早于开始日期，已忽略结束日期。")


MONTH_IGNORED = _("月份无效，已显示本月。")


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")


FIRST_YEAR, LAST_YEAR = 2000, 2100


class PageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


def _county_choices():
    return CountyPage.objects.live().public().order_by("path").only("title", "path")


def _community_choices():
    return CommunityPage.objects.live().public().order_by("path").only("title", "path")


class ActivityFilterForm(forms.Form):
    county = PageChoiceField(
        queryset=CountyPage.objects.none(),
        required=False,
        label=_("县（市、区）"),
        empty_label=_("全部"),
    )
    community = PageChoiceField(
        queryset=CommunityPage.objects.none(),
        required=False,
        label=_("社区"),
        empty_label=_("全部"),
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), required=False, label=_("主题活动"), empty_label=_("全部")
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.all(), required=False, label=_("所需特长"), empty_label=_("全部")
    )
    date_from = forms.DateField(
        required=False, label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, not above: public() reads the view restrictions when it is called.
        self.fields["county"].queryset = _county_choices()
        self.fields["community"].queryset = _community_choices()


def read_filters(form: ActivityFilterForm) -> tuple[ActivityFilters, list[str]]:
    """The filters the form's valid fields give, and a message for each value ignored."""
    form.is_valid()
    notes = [FILTER_IGNORED % {"label": form.fields[name].label} for name in form.errors]
    values = {
        name: form.cleaned_data.get(name)
        for name in ActivityFilters.__dataclass_fields__
        if name in getattr(form, "cleaned_data", {})
    }
    start, end = values.get("date_from"), values.get("date_to")
    if start and end and end < start:
        values["date_to"] = None
        notes.append(DATE_RANGE_IGNORED)
    return ActivityFilters(**values), notes


class CalendarForm(forms.Form):
    community = PageChoiceField(
        queryset=CommunityPage.objects.none(),
        required=False,
        label=_("社区"),
        empty_label=_("全部社区"),
    )
    month = forms.CharField(required=False, max_length=7, label=_("月份"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _community_choices()

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
    if "community" in form.errors:
        notes.append(FILTER_IGNORED % {"label": form.fields["community"].label})
    data = getattr(form, "cleaned_data", {})
    year, month = data.get("month") or (today.year, today.month)
    return {"year": year, "month": month, "community": data.get("community")}, notes
