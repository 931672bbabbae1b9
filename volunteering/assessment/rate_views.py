"""Admin views of report rates (报到率: the rate of each organisation, who has not reported, the
reminder email) and of demonstration communities (示范点). The year-end assessment's views are in
`volunteering.assessment.views`."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages

from volunteering import scopes
from volunteering.accounts.selectors import organisation_activation_rates
from volunteering.assessment import services as demonstration_services
from volunteering.assessment.models import DemonstrationCommunity, ReportReminder
from volunteering.assessment.selectors import (
    designations_by_county,
    min_report_rate,
    non_reporters,
    organisation_report_rates,
    sorted_rates,
)
from volunteering.assessment.services import is_organisation_admin, report_reminders_send
from volunteering.assessment.views import (
    AdminPage,
    _first_error,
    _year_field,
    checked_year,
    this_year,
)
from volunteering.communities.models import CommunityPage
from volunteering.people.models import Organisation


class RatesForm(forms.Form):
    year = _year_field(required=False)
    eligibility = forms.ChoiceField(
        label=_("先进单位资格"),
        required=False,
        choices=[("", _("全部")), ("yes", _("符合")), ("no", _("不符合"))],
    )
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("name", _("按单位名称")),
            ("-rate", _("报到率从高到低")),
            ("rate", _("报到率从低到高")),
        ],
    )


class ReportRateView(AdminPage):
    template_name = "volunteering/assessment/report_rates.html"
    page_title = _("报到率")

    def get_context_data(self, **kwargs):
        managed = scopes.organisations_managed_by(self.request.user)
        if not managed.exists():
            raise PermissionDenied
        form = RatesForm(self.request.GET or None)
        year, eligibility, sort = this_year(), "", "name"
        if form.is_valid():
            year = form.cleaned_data["year"] or year
            eligibility = form.cleaned_data["eligibility"]
            sort = form.cleaned_data["sort"] or sort
        rates = organisation_report_rates(year=year, organisations=managed)
        if eligibility:
            rates = [r for r in rates if r.eligible == (eligibility == "yes")]
        rates = sorted_rates(rates, sort)
        activation = organisation_activation_rates(managed)
        return super().get_context_data(
            form=form,
            rates=rates,
            # Beside each report rate, how many of the roll have activated their account.
            rows=[(r, activation.get(r.organisation.pk)) for r in rates],
            year=year,
            threshold=round(float(min_report_rate()) * 100, 1),
            **kwargs,
        )


class NonReportersView(AdminPage):
    """One organisation's members who have not reported in a year; its admins remind them."""

    template_name = "volunteering/assessment/report_rate_detail.html"
    page_title = _("未报到党员")

    def get_organisation(self, pk: int, year: int) -> Organisation:
        checked_year(year)
        organisation = get_object_or_404(Organisation, pk=pk)
        if not scopes.organisations_managed_by(self.request.user).filter(pk=pk).exists():
            raise PermissionDenied
        return organisation

    def get(self, request, pk: int, year: int):
        organisation = self.get_organisation(pk, year)
        members = list(non_reporters(organisation=organisation, year=year))
        recent = _recent_reminders(organisation, members)
        for member in members:
            member.reminded_at = recent.get(member.pk)
        rate = organisation_report_rates(
            year=year, organisations=Organisation.objects.filter(pk=pk)
        )[0]
        context = self.get_context_data(
            organisation=organisation,
            year=year,
            members=members,
            rate=rate,
            may_remind=is_organisation_admin(request.user, organisation),
        )
        return self.render_to_response(context)

    def post(self, request, pk: int, year: int):
        organisation = self.get_organisation(pk, year)
        try:
            result = report_reminders_send(organisation=organisation, year=year, by=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("volunteering_report_rate_detail", pk, year)
        messages.success(
            request,
            _("已向%(sent)s名党员发送报到提醒；%(skipped)s名一天内已提醒过，%(none)s名没有邮箱。")
            % {
                "sent": result.sent,
                "skipped": result.skipped_recent,
                "none": result.without_email,
            },
        )
        return redirect("volunteering_report_rate_detail", pk, year)


def _recent_reminders(organisation, members) -> dict[int, datetime.datetime]:
    since = timezone.now() - datetime.timedelta(days=1)
    rows = ReportReminder.objects.filter(
        organisation=organisation, member__in=members, sent_at__gte=since
    ).values_list("member_id", "sent_at")
    return dict(rows)


class DesignateForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("社区"), queryset=CommunityPage.objects.order_by("path")
    )
    year = _year_field()
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class DemonstrationView(AdminPage):
    template_name = "volunteering/assessment/demonstrations.html"
    page_title = _("示范点")

    def dispatch(self, request, *args, **kwargs):
        if not scopes.is_city_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def year(self) -> int:
        try:
            return int(self.request.GET.get("year") or this_year())
        except ValueError:
            return this_year()

    def get(self, request):
        year = self.year()
        return self.render(DesignateForm(initial={"year": year}), year)

    def post(self, request):
        if "withdraw" in request.POST:
            designation = get_object_or_404(DemonstrationCommunity, pk=request.POST["withdraw"])
            demonstration_services.demonstration_withdraw(designation=designation, by=request.user)
            messages.success(request, _("已取消%(name)s的示范点认定。") % {"name": designation})
            return redirect(f"{reverse('volunteering_demonstrations')}?year={designation.year}")
        form = DesignateForm(request.POST)
        if form.is_valid():
            try:
                designation = demonstration_services.demonstration_designate(
                    by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, _first_error(error))
            else:
                messages.success(request, _("已认定%(name)s为示范点。") % {"name": designation})
                return redirect(f"{reverse('volunteering_demonstrations')}?year={designation.year}")
        year = form.cleaned_data.get("year") if form.is_valid() else self.year()
        return self.render(form, year or this_year(), status=422)

    def render(self, form, year: int, status=200):
        context = self.get_context_data(
            form=form, year=year, counties=designations_by_county(year=year)
        )
        return self.render_to_response(context, status=status)
