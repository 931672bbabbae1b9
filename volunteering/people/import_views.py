"""Admin views of the members import: upload → preview of every row → confirm.

The rows read from the file wait in the session between the preview and the confirmation;
the confirmation checks them again and imports all or nothing
(`volunteering.people.imports`)."""

import secrets

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from volunteering import errors, scopes
from volunteering.errors import ServiceError
from volunteering.people.forms import MemberImportForm
from volunteering.people.import_files import COLUMNS, member_import_template, member_rows_read
from volunteering.people.imports import Status, members_import_apply, members_import_preview

SESSION_KEY = "volunteering_member_import"
IMPORT_DONE = _("导入完成：新增 %(created)s 人，更新 %(updated)s 人，%(unchanged)s 人无变化。")
IMPORT_INVITE_NEXT = _("新党员设置密码后才能登录：请给他们发送激活邀请。")
TEMPLATE_FILENAME = "member-import-template.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _ImportBase(WagtailAdminTemplateMixin, View):
    viewset = None
    template_name = "volunteering/people/member_import.html"
    page_title = _("批量导入党员")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not self.viewset.can_import(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def organisations(self):
        return scopes.organisations_managed_by(self.request.user)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.viewset.index_url, "label": self.viewset.menu_label},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "columns": COLUMNS,
                "template_url": self.viewset.import_url_named("import_template"),
                "upload_url": self.viewset.import_url(),
                "confirm_url": self.viewset.import_url_named("import_confirm"),
                "statuses": Status,
            }
        )
        return context


class MemberImportView(_ImportBase):
    def get(self, request):
        initial = {}
        wanted = request.GET.get("organisation", "")
        if wanted.isdigit():
            initial["organisation"] = self.organisations().filter(pk=wanted).first()
        form = MemberImportForm(initial=initial, organisations=self.organisations())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = MemberImportForm(request.POST, request.FILES, organisations=self.organisations())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        organisation = form.cleaned_data["organisation"]
        upload = form.cleaned_data["file"]
        try:
            rows = member_rows_read(file=upload, filename=upload.name)
        except ServiceError as exc:
            form.add_error("file", exc.message)
            return self.render_to_response(self.get_context_data(form=form))
        preview = members_import_preview(organisation=organisation, rows=rows)
        token = secrets.token_urlsafe(16)
        if preview.is_valid:
            request.session[SESSION_KEY] = {
                "token": token,
                "organisation": organisation.pk,
                "filename": upload.name,
                "rows": rows,
            }
        else:
            request.session.pop(SESSION_KEY, None)
        return self.render_to_response(
            self.get_context_data(
                form=MemberImportForm(
                    initial={"organisation": organisation}, organisations=self.organisations()
                ),
                preview=preview,
                token=token,
                filename=upload.name,
            )
        )


class MemberImportConfirmView(_ImportBase):
    http_method_names = ["post"]

    def post(self, request):
        stored = request.session.get(SESSION_KEY) or {}
        if not stored or stored.get("token") != request.POST.get("token"):
            messages.error(request, errors.IMPORT_EXPIRED)
            return redirect(self.viewset.import_url())
        organisation = self.organisations().filter(pk=stored["organisation"]).first()
        if organisation is None:
            raise PermissionDenied
        try:
            result = members_import_apply(
                organisation=organisation, rows=stored["rows"], by=request.user
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(self.viewset.import_url(organisation=organisation.pk))
        request.session.pop(SESSION_KEY, None)
        done = IMPORT_DONE % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        # The next step for new members, who cannot sign in yet: their activation invitations.
        buttons = self.viewset.import_done_buttons(request, organisation) if result.created else []
        if buttons:
            done = f"{done}{IMPORT_INVITE_NEXT}"
        messages.success(request, done, buttons=buttons)
        return redirect(self.viewset.index_url_with(organisation=organisation.pk))


@require_admin_access
def member_import_template_view(request):
    response = HttpResponse(member_import_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response
