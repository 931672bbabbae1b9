"""Wagtail's own admin code that reads input without a guard, fixed where the corpus test of
Wagtail's admin addresses found a 500 (tests/portal/test_wagtail_admin_fuzz.py; each pinned in
tests/portal/test_wagtail_admin_bad_input.py). Remove a piece when Wagtail guards it itself.

- An image whose header reads but whose data does not (a truncated PNG) was a 500 in every
  image upload — the single and multiple upload, the chooser's: Wagtail's image field opens
  the file with Pillow to count its pixels and catches only the decompression-bomb errors, so
  Pillow's `UnidentifiedImageError` escaped. It is now the field's own "not a valid image"
  error. Installed as `WAGTAILIMAGES_IMAGE_FORM_BASE` (every image form is built on it).
- A page number that is not a number (`?p=abc`) or out of range on a workflow's editor was a
  500 (`int()` and `Paginator.page` unguarded): it now shows the nearest page, as Django's
  `get_page` does. Routed by portal/urls.py ahead of Wagtail's admin URLs, at the same path.
- A search of Wagtail's own lists (users, groups, workflows, tasks: searched with `LIKE`)
  longer than 50,000 bytes was a LIKE pattern SQLite refuses ("pattern too complex"),
  answered as a 503 for a database that was up. Every admin search (`q`) now reads its first
  `SEARCH_LIMIT` characters, as the portal's own lists do (`volunteering.admin.views`):
  `AdminQueryMiddleware`, in settings.MIDDLEWARE.
- An id that is not a number, or beyond what a column holds, in the "chosen" answer of a
  chooser that picks several (`…/chosen-multiple/?id=…`: pages, images, documents, snippets)
  was a 500 (`ValueError`, `OverflowError`: the ids go unchecked into `pk__in`). Such an id
  names nothing: it is dropped (`AdminQueryMiddleware` too).
- The redirects' import confirmation posted without one of its signed fields (the file's name,
  its format) was a 500 (`KeyError` in Wagtail's `ConfirmImportManagementForm.clean`, which
  reads them whether or not they came): it is the 400 Wagtail answers for a tampered one.
  Routed by portal/urls.py ahead of Wagtail's admin URLs, at the same path."""

import re

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.paginator import Paginator
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import workflows
from wagtail.contrib.redirects import views as redirects
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import Page

from portal.input_guard import LARGEST_ID

SEARCH_LIMIT = 100  # characters of an admin search that are read
AN_ID = re.compile(r"-?[0-9]{1,19}")


class ReadableImageField(WagtailImageField):
    """Wagtail's image field, for which an image Pillow cannot read is not a valid image."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except (OSError, SyntaxError, ValueError) as error:
            # Pillow: UnidentifiedImageError (an OSError), "truncated" (OSError), "broken PNG
            # file" (SyntaxError), bad header values (ValueError).
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    """Every image form of the admin: Wagtail's, with `ReadableImageField` for the file."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField) and not isinstance(field, ReadableImageField):
            self.fields["file"] = ReadableImageField(
                label=field.label,
                required=field.required,
                help_text=field.help_text,
                widget=field.widget,
            )


class WorkflowEditView(workflows.Edit):
    """Wagtail's workflow editor, its list of pages at the page asked for or the nearest."""

    def get_paginated_pages(self):
        pages = Page.objects.filter(workflowpage__workflow=self.get_object())
        return Paginator(pages, self.MAX_PAGES).get_page(self.request.GET.get("p"))


SIGNED_IMPORT_FIELDS = ("import_file_name", "input_format")


@require_admin_access
def redirect_import_process(request):
    """Wagtail's redirect import confirmation, which needs its signed fields."""
    if request.method == "POST" and not all(request.POST.get(f) for f in SIGNED_IMPORT_FIELDS):
        raise SuspiciousOperation("A redirect import confirmed without its signed fields.")
    return redirects.process_import(request)


class AdminQueryMiddleware:
    """In the admin: every search (`?q=`: listings, choosers, the page search) reads its first
    `SEARCH_LIMIT` characters; a chooser's chosen ids (`…/chosen-multiple/?id=`) are ids."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            searched = request.GET.getlist("q")
            if any(len(q) > SEARCH_LIMIT for q in searched):
                request.GET = request.GET.copy()
                request.GET.setlist("q", [q[:SEARCH_LIMIT] for q in searched])
            if request.path_info.endswith("/chosen-multiple/"):
                request.GET = request.GET.copy()
                request.GET.setlist("id", [i for i in request.GET.getlist("id") if _is_id(i)])
        return self.get_response(request)


def _is_id(text: str) -> bool:
    return AN_ID.fullmatch(text) is not None and abs(int(text)) <= LARGEST_ID
