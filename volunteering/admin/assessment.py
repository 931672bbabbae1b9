"""The admin of two-way management (双向管理): year-end assessment, report rates, demonstration
communities.

- 年度考核 (community staff): a community and year → every member who reported there, their
  year's figures and their grade; one member's form, locked once submitted; the city reopens.
- 考核结果 (organisation admins, the city): the submitted results of their own members, read
  only, with an XLSX export.
- 报到率 (the city: all organisations; an organisation admin: their own): the rate, the 90%
  rule, who has not reported, and the reminder email.
- 示范点 (the city): designations per county and year, with the 3–5 warning.

Every view checks its own scope (`volunteering.scopes`); the services check again."""

import datetime
import io

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from volunteering import scopes
from volunteering.models import (
    Assessment,
    CommunityPage,
    DemonstrationCommunity,
    Organisation,
)
from volunteering.selectors import assessment as assessment_selectors
from volunteering.selectors.demonstration import designations_by_county
from volunteering.selectors.report_rates import (
    min_report_rate,
    non_reporters,
    organisation_report_rates,
    sorted_rates,
)
from volunteering.services import assessment as assessment_services
from volunteering.services import demonstration as demonstration_services
from volunteering.services.report_rates import is_organisation_admin, report_reminders_send
from volunteering.workflows import ASSESSMENT_WORKFLOW
from workflows.statemachine import TransitionConflict

FIRST_YEAR = 2014  # the programme's first year (the article's)


def this_year() -> int:
    return timezone.localdate().year


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("年度"),
        min_value=FIRST_YEAR,
        max_value=this_year() + 1,
        initial=this_year,
        **kwargs,
    )


def _first_error(error: ValidationError) -> str:
    return error.messages[0] if error.messages else str(error)


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        # The header shows the breadcrumbs: end them with this page's title.
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# --- 年度考核: the community's list and one member's form ----------------------------------


class CommunityYearForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=CommunityPage.objects.none())
    year = _year_field()

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["community"].queryset = scopes.communities_managed_by(user).order_by("path")


class AssessmentIndexView(AdminPage):
    """Members to assess in a community for a year, with their year and their grade."""

    template_name = "volunteering/admin/assessment_index.html"
    page_title = _("年度考核评定")

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not scopes.managed_community_ids(user):
            raise PermissionDenied
        form = CommunityYearForm(self.request.GET or None, user=user)
        rows, community, year = [], None, this_year()
        if form.is_valid():
            community, year = form.cleaned_data["community"], form.cleaned_data["year"]
            rows = assessment_selectors.community_assessment_rows(community=community, year=year)
        return super().get_context_data(
            form=form,
            rows=rows,
            community=community,
            year=year,
            points_available=assessment_selectors.points_available(),
            **kwargs,
        )


class AssessmentForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("评定等次"),
        choices=[("", "---------"), *Assessment.Grade.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("评语"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class AssessmentEditView(AdminPage):
    """One member's assessment: the year's figures, the grade and comment (until submitted),
    the history, and for the city the reopen form."""

    template_name = "volunteering/admin/assessment_form.html"
    page_title = _("考核评定")

    def setup_objects(self, community_id: int, year: int, member_id: int):
        self.community = get_object_or_404(CommunityPage, pk=community_id)
        if not scopes.is_staff_of(self.request.user, self.community.pk):
            raise PermissionDenied
        members = assessment_selectors.reported_members(community=self.community, year=year)
        self.member = get_object_or_404(members, pk=member_id)
        self.year = year
        self.assessment = Assessment.objects.filter(
            member=self.member, community=self.community, year=year
        ).first()

    def get(self, request, community_id, year, member_id):
        self.setup_objects(community_id, year, member_id)
        initial = {}
        if self.assessment:
            initial = {"grade": self.assessment.grade, "comment": self.assessment.comment}
        return self.render(AssessmentForm(initial=initial))

    def post(self, request, community_id, year, member_id):
        self.setup_objects(community_id, year, member_id)
        form = AssessmentForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        service = (
            assessment_services.assessment_submit
            if "submit" in request.POST
            else assessment_services.assessment_save
        )
        try:
            service(
                member=self.member,
                community=self.community,
                year=self.year,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            messages.error(request, _first_error(error))
            return self.render(form, status=409)
        except TransitionConflict as error:
            messages.error(request, error.message)
            return self.render(form, status=409)
        messages.success(request, _("已保存%(name)s的考核评定。") % {"name": self.member})
        return redirect(self.index_url())

    def index_url(self) -> str:
        url = reverse("volunteering_assessment_index")
        return f"{url}?community={self.community.pk}&year={self.year}"

    def render(self, form, status=200):
        assessment = self.assessment
        if assessment:
            assessment.refresh_from_db()
        locked = bool(assessment and assessment.is_locked)
        if locked:
            for field in form.fields.values():
                field.disabled = True
        context = self.get_context_data(
            form=form,
            member=self.member,
            community=self.community,
            year=self.year,
            assessment=assessment,
            locked=locked,
            summary=assessment_selectors.year_summary(
                member=self.member, community=self.community, year=self.year
            ),
            points_available=assessment_selectors.points_available(),
            history=assessment_selectors.assessment_history(assessment) if assessment else [],
            may_reopen=bool(
                assessment and ASSESSMENT_WORKFLOW.can(assessment, "reopen", self.request.user)
            ),
            reopen_form=ReopenForm(),
            back_url=self.index_url(),
        )
        return self.render_to_response(context, status=status)


def assessment_reopen_view(request, pk: int):
    """The city sends a submitted assessment back (POST, with a reason)."""
    if request.method != "POST":
        raise Http404
    assessment = get_object_or_404(Assessment.objects.select_related("member"), pk=pk)
    form = ReopenForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        assessment_services.assessment_reopen(assessment=assessment, by=request.user, reason=reason)
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, _first_error(error))
    except TransitionConflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已退回%(name)s的考核评定，社区可以修改。") % {"name": assessment.member}
        )
    return redirect(
        "volunteering_assessment_edit",
        assessment.community_id,
        assessment.year,
        assessment.member_id,
    )


# --- 考核结果: organisation admins see their members' results ------------------------------


class ResultsForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("单位"), queryset=Organisation.objects.none(), required=False
    )
    year = _year_field(required=False)

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["organisation"].queryset = scopes.organisations_managed_by(user)


class AssessmentResultsView(AdminPage):
    """The submitted results of the members of the user's organisations (read only)."""

    template_name = "volunteering/admin/assessment_results.html"
    page_title = _("考核结果")

    def get(self, request, *args, **kwargs):
        managed = scopes.organisations_managed_by(request.user)
        if not managed.exists():
            raise PermissionDenied
        form = ResultsForm(request.GET or None, user=request.user)
        organisation_ids, year = list(managed.values_list("pk", flat=True)), this_year()
        if form.is_valid():
            year = form.cleaned_data["year"] or year
            if form.cleaned_data["organisation"]:
                organisation_ids = [form.cleaned_data["organisation"].pk]
        results = assessment_selectors.assessments_for_organisations(
            organisation_ids=organisation_ids, year=year
        )
        if request.GET.get("export") == "xlsx":
            return results_xlsx(results, year=year)
        return self.render_to_response(self.get_context_data(form=form, results=results, year=year))


RESULT_HEADINGS = [_("年度"), _("单位"), _("姓名"), _("社区"), _("评定等次"), _("评语")]


def results_xlsx(results, *, year: int) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("考核结果"))
    sheet.append([str(h) for h in RESULT_HEADINGS])
    for result in results:
        sheet.append(
            [
                result.year,
                result.member.organisation.name,
                result.member.real_name,
                result.community.title,
                result.get_grade_display(),
                result.comment,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}.xlsx"'
    return response


# --- 报到率: report rates, who has not reported, reminders ----------------------------------


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
    template_name = "volunteering/admin/report_rates.html"
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
        return super().get_context_data(
            form=form,
            rates=sorted_rates(rates, sort),
            year=year,
            threshold=round(float(min_report_rate()) * 100, 1),
            **kwargs,
        )


class NonReportersView(AdminPage):
    """One organisation's members who have not reported in a year; its admins remind them."""

    template_name = "volunteering/admin/report_rate_detail.html"
    page_title = _("未报到党员")

    def get_organisation(self, pk: int) -> Organisation:
        organisation = get_object_or_404(Organisation, pk=pk)
        if not scopes.organisations_managed_by(self.request.user).filter(pk=pk).exists():
            raise PermissionDenied
        return organisation

    def get(self, request, pk: int, year: int):
        organisation = self.get_organisation(pk)
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
        organisation = self.get_organisation(pk)
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
    from volunteering.models import ReportReminder

    since = timezone.now() - datetime.timedelta(days=1)
    rows = ReportReminder.objects.filter(
        organisation=organisation, member__in=members, sent_at__gte=since
    ).values_list("member_id", "sent_at")
    return dict(rows)


# --- 示范点: the city designates demonstration communities ---------------------------------


class DesignateForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("社区"), queryset=CommunityPage.objects.order_by("path")
    )
    year = _year_field()
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class DemonstrationView(AdminPage):
    template_name = "volunteering/admin/assessment_demonstrations.html"
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


# --- URLs and menu --------------------------------------------------------------------------


def admin_urls():
    return [
        path("assessment/", AssessmentIndexView.as_view(), name="volunteering_assessment_index"),
        path(
            "assessment/<int:community_id>/<int:year>/<int:member_id>/",
            AssessmentEditView.as_view(),
            name="volunteering_assessment_edit",
        ),
        path(
            "assessment/<int:pk>/reopen/",
            assessment_reopen_view,
            name="volunteering_assessment_reopen",
        ),
        path(
            "assessment/results/",
            AssessmentResultsView.as_view(),
            name="volunteering_assessment_results",
        ),
        path("report-rates/", ReportRateView.as_view(), name="volunteering_report_rates"),
        path(
            "report-rates/<int:pk>/<int:year>/",
            NonReportersView.as_view(),
            name="volunteering_report_rate_detail",
        ),
        path("demonstrations/", DemonstrationView.as_view(), name="volunteering_demonstrations"),
    ]


class ScopedMenuItem(MenuItem):
    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown

    def is_shown(self, request):
        return self.shown(request.user)


def _manages_communities(user) -> bool:
    return bool(scopes.managed_community_ids(user))


def _manages_organisations(user) -> bool:
    return scopes.organisations_managed_by(user).exists()


def assessment_menu_item() -> SubmenuMenuItem:
    items = [
        ScopedMenuItem(
            _("年度考核"),
            reverse("volunteering_assessment_index"),
            icon_name="tasks",
            order=10,
            shown=_manages_communities,
        ),
        ScopedMenuItem(
            _("考核结果"),
            reverse("volunteering_assessment_results"),
            icon_name="list-ul",
            order=20,
            shown=_manages_organisations,
        ),
        ScopedMenuItem(
            _("报到率"),
            reverse("volunteering_report_rates"),
            icon_name="table",
            order=30,
            shown=_manages_organisations,
        ),
        ScopedMenuItem(
            _("示范点"),
            reverse("volunteering_demonstrations"),
            icon_name="pick",
            order=40,
            shown=scopes.is_city_admin,
        ),
    ]
    return SubmenuMenuItem(_("考核评定"), Menu(items=items), icon_name="tasks", order=154)
