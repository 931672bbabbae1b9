"""The admin of two-way management (双向管理): year-end assessment, report rates, demonstration
communities.

- 年度考核 (community staff): a community and year → every member who reported there, their
  year's figures and their grade; one member's form, locked once submitted; the city reopens.
- 考核结果 (organisation admins, the city): the submitted results of their own members, read
  only, with an XLSX export.
- 报到率 (the city: all organisations; an organisation admin: their own): the rate, the 90%
  rule, who has not reported, and the reminder email.
- 示范点 (the city): designations per county and year, with the 3–5 warning.

Here the first two; the report rates and 示范点 are in `volunteering.assessment.rate_views`, the
URLs and the submenu in `volunteering.assessment.menu`. Every view checks its own scope
(`volunteering.scopes`); the services check again."""

import io

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from volunteering import scopes
from volunteering.assessment import selectors as assessment_selectors
from volunteering.assessment import services as assessment_services
from volunteering.assessment.models import Assessment
from volunteering.assessment.workflows import ASSESSMENT_WORKFLOW
from volunteering.communities.models import CommunityPage
from volunteering.history import admin_timeline
from volunteering.people.models import Organisation
from workflows.statemachine import TransitionConflict

ASSESSMENT_DRAFT_SAVED = _("已保存%(name)s的考核评定草稿，提交前仍可修改。")
ASSESSMENT_SUBMITTED = _("已提交%(name)s的考核评定，评定已锁定。")

FIRST_YEAR = 2014  # the programme's first year (the article's)


def this_year() -> int:
    return timezone.localdate().year


def checked_year(year: int) -> int:
    """A year from an address, within the programme's years (the forms' bounds), else 404: an
    address edited to year 0 or 99999 once reached the date arithmetic and answered 500."""
    if not FIRST_YEAR <= year <= this_year() + 1:
        raise Http404
    return year


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


class CommunityYearForm(forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=CommunityPage.objects.none())
    year = _year_field()

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["community"].queryset = scopes.communities_managed_by(user).order_by("path")


class AssessmentIndexView(AdminPage):
    """Members to assess in a community for a year, with their year and their grade."""

    template_name = "volunteering/assessment/assessment_index.html"
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

    template_name = "volunteering/assessment/assessment_form.html"
    page_title = _("考核评定")

    def setup_objects(self, community_id: int, year: int, member_id: int):
        year = checked_year(year)
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
        submitting = "submit" in request.POST
        service = (
            assessment_services.assessment_submit
            if submitting
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
        done = ASSESSMENT_SUBMITTED if submitting else ASSESSMENT_DRAFT_SAVED
        messages.success(request, done % {"name": self.member})
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
            # Who did what, by name, with the transitions' own labels (volunteering.history).
            timeline=admin_timeline(obj=assessment, user=self.request.user) if assessment else None,
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

    template_name = "volunteering/assessment/assessment_results.html"
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


def _as_text(cells) -> None:
    """openpyxl stores a string starting with "=" as a formula, which a spreadsheet runs when
    the file is opened (a comment or a name reading =HYPERLINK(…)): what people typed is text.
    The same two lines as Wagtail's `SpreadsheetExportMixin.write_xlsx_row`, which the admin
    lists' exports use; this workbook is built by hand (one sheet per year, its own headings),
    so it cannot go through the mixin."""
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


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
        _as_text(sheet[sheet.max_row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{year}.xlsx"'
    return response
