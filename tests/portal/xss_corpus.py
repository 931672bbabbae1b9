"""The XSS corpus of the attack suite (tests/portal/test_xss_corpus.py): payloads that have
turned text into markup, script or a formula elsewhere, the checks that find any of them
having done so in an answer, and the table of every text field people type into, with how the
suite writes the corpus there (or why a field is left out).

A payload that "worked" leaves a trace the checks look for, never the payload string itself
(escaping is the expected outcome, so the text is expected to be there):
an element or attribute the payload brought (an `on…` handler naming `xss(`, a `<script>`
whose whole text is `xss(…)`, an `<img src=x>`, an `<iframe srcdoc>`), a `javascript:` URL,
a template evaluated (`91824`), or a spreadsheet cell that is a formula."""

import io
import re
import zipfile

from bs4 import BeautifulSoup

PAYLOADS = [
    "<script>xss(1)</script>",
    '"><img src=x onerror=xss(2)>',
    "'><svg onload=xss(3)>",
    "javascript:xss(4)",
    '" onmouseover="xss(5)" x="',
    "' onfocus='xss(6)' autofocus x='",
    "` onclick=xss(7) `",
    "</textarea><script>xss(8)</script>",
    "</title><svg/onload=xss(9)>",
    '<a href="javascript:xss(10)">x</a>',
    '<iframe srcdoc="<script>xss(11)</script>">',
    "</script><script>xss(12)</script>",
    "{{ 91823|add:1 }}${91823+1}",
    "\u202eexe.txt",
    '=HYPERLINK("http://xss.invalid","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
EVALUATED = "91824"  # what the template payload becomes if a template engine ran it
# A cell starting with one of these is a formula to a spreadsheet (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SPREADSHEET_PAYLOADS = [p for p in PAYLOADS if p.startswith(FORMULA_STARTS)]
# Payloads that bring an element of their own when not escaped.
ELEMENT_PAYLOADS = [p for p in PAYLOADS if p.count("<") and "xss(" in p]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


def text_for(max_length: int | None, *, start: int = 0) -> str:
    """As many payloads as fit in `max_length` characters, beginning at `start` (rotating, so
    fields together receive every payload): always a formula first (every exported cell starts
    like one) and a payload that makes an element second (every field can show markup), then
    the others that fit."""
    formula = SPREADSHEET_PAYLOADS[start % len(SPREADSHEET_PAYLOADS)]
    element = ELEMENT_PAYLOADS[start % len(ELEMENT_PAYLOADS)]
    chosen = [formula, element]
    if max_length is not None and len(" ".join(chosen)) > max_length:
        chosen = [element] if len(element) <= max_length else [formula[:max_length]]
    for payload in PAYLOADS[start:] + PAYLOADS[:start]:
        candidate = " ".join([*chosen, payload])
        if payload not in chosen and (max_length is None or len(candidate) <= max_length):
            chosen.append(payload)
    return " ".join(chosen)


def holds_a_payload(text: str) -> bool:
    return "xss(" in text or any(p[:10] in text for p in SPREADSHEET_PAYLOADS)


# --- HTML -----------------------------------------------------------------------------------


def injected(html: str) -> list[str]:
    """What a payload made of this page: elements, handlers and URLs it brought, or a template
    it had evaluated. Empty when every payload stayed text."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        found += _element_problems(element)
    if EVALUATED in soup.get_text():
        found.append(f"a template in the corpus was evaluated ({EVALUATED})")
    return found


def _element_problems(element) -> list[str]:
    found = []
    name = element.name.lower()
    if name == "script" and element.get_text().strip().startswith("xss("):
        found.append(f"<script>{element.get_text()}</script>")
    if name == "img" and element.get("src") == "x":
        found.append(str(element)[:120])
    if name == "iframe" and "xss(" in (element.get("srcdoc") or ""):
        found.append(str(element)[:120])
    for attribute, value in element.attrs.items():
        value = " ".join(value) if isinstance(value, list) else str(value)
        if attribute.lower().startswith("on") and "xss(" in value:
            found.append(f"<{name} {attribute}={value!r}>")
        if attribute.lower() in URL_ATTRIBUTES and _is_javascript(value):
            found.append(f"<{name} {attribute}={value!r}>")
    return found


def _is_javascript(url: str) -> bool:
    """A `javascript:` URL of the corpus (browsers skip control characters and spaces)."""
    url = re.sub(r"[\x00-\x20`]+", "", url).lower()
    return url.startswith("javascript:") and "xss(" in url


# --- Spreadsheets ---------------------------------------------------------------------------


def csv_formulas(text: str) -> list[str]:
    import csv

    return [
        cell
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if cell.startswith(FORMULA_STARTS) and any(p[:12] in cell for p in SPREADSHEET_PAYLOADS)
    ]


def xlsx_formulas(content: bytes) -> list[str]:
    """Cells stored as formulas (`<f>` in the sheet's XML, or a formula-typed cell)."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = b"".join(archive.read(n) for n in sheets).decode()
    found = re.findall(r"<f>(.*?)</f>", xml)
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        found += [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    return found


# --- Which text fields take the corpus ------------------------------------------------------

# Every CharField and TextField (and rich text) of the project's models is either written with
# the corpus by the suite (`WRITTEN`: how) or left out with its reason (`LEFT_OUT`). A new
# text field in neither fails test_every_text_field_is_in_the_corpus_table.
FORM = "its form, as people use it"
WORLD = "the corpus world (tests/portal/xss_world.py: build_world, fill)"
WRITTEN = {
    "volunteering.Feedback.text": FORM,
    "volunteering.Feedback.name": FORM,
    "volunteering.Member.other_skills": FORM,
    "volunteering.Report.note": FORM,
    "volunteering.PostPledge.commitment": FORM,
    "volunteering.AccountClosure.reason": FORM,
    "portal.LoginFailure.username": FORM,
    "volunteering.Feedback.outcome_note": WORLD,
    "volunteering.Member.real_name": WORLD,
    "volunteering.Organisation.name": WORLD,
    "volunteering.Organisation.address": WORLD,
    "volunteering.Team.name": WORLD,
    "volunteering.Team.description": WORLD,
    "volunteering.GoodDeed.title": WORLD,
    "volunteering.GoodDeed.note": WORLD,
    "volunteering.Need.title": WORLD,
    "volunteering.Need.description": WORLD,
    "volunteering.NeedClaim.outcome": WORLD,
    "volunteering.Post.title": WORLD,
    "volunteering.Post.description": WORLD,
    "volunteering.Assessment.comment": WORLD,
    "volunteering.PointEntry.reason": WORLD,
    "volunteering.PointRule.note": WORLD,
    "volunteering.Skill.name": WORLD,
    "volunteering.Skill.description": WORLD,
    "volunteering.Theme.title": WORLD,
    "volunteering.Theme.slogan": WORLD,
    "volunteering.Theme.description": WORLD,
    "volunteering.Letter.title": WORLD,
    "volunteering.Letter.body": WORLD + ", through the rich text editor's converter",
    "volunteering.Letter.signature": WORLD,
    "volunteering.ActivityPage.title": WORLD,
    "volunteering.ActivityPage.summary": WORLD,
    "volunteering.ActivityPage.place": WORLD,
    "volunteering.ActivityPage.body": WORLD + ", through the rich text editor's converter",
    "volunteering.ActivityPage.seo_title": WORLD,
    "volunteering.ActivityPage.search_description": WORLD,
    "news.NewsPage.title": WORLD,
    "news.NewsPage.lead": WORLD,
    "news.NewsPage.source": WORLD,
    "news.NewsPage.responsible_editor": WORLD,
    "news.NewsPage.body": WORLD + ", through the rich text editor's converter",
    "news.NewsPage.seo_title": WORLD,
    "news.NewsPage.search_description": WORLD,
    "news.NewsByline.name": WORLD,
    "news.NewsByline.role": WORLD,
    "volunteering.CommunityDutyStaff.name": WORLD,
    "volunteering.CommunityDutyStaff.role": WORLD,
    "volunteering.CommunityDutyStaff.duty_time": WORLD,
    "volunteering.ServiceFile.notes": WORLD,
    "volunteering.CommunityPage.title": WORLD,
    "volunteering.CommunityPage.seo_title": WORLD,
    "volunteering.CommunityPage.search_description": WORLD,
    "volunteering.CommunityPage.street_or_town": WORLD,
    "volunteering.CommunityPage.party_organisation": WORLD,
    "volunteering.CommunityPage.intro": WORLD,
    "volunteering.CommunityPage.address": WORLD,
    "volunteering.CommunityPage.contact_phone": WORLD,
    "volunteering.CommunityPage.window_place": WORLD,
    "volunteering.CommunityPage.window_hours": WORLD,
    "volunteering.CommunityPage.how_to_report": WORLD,
    "volunteering.DemonstrationCommunity.note": WORLD,
}
PAGE_INTERNALS = "the page tree's own (path, slug, URL path, draft title = title)"
SECRET = "a digest or token, never typed by anyone"
VALIDATED = "validated to digits or an address by its form and service"
EDITORS_OF_THE_SITE = (
    "pages and settings edited in Wagtail's page editor and settings forms, by the same "
    "templates and admin as the activity and news fields above (not yet written here)"
)
LEFT_OUT = {
    "*.path": PAGE_INTERNALS,
    "*.slug": PAGE_INTERNALS,
    "*.url_path": PAGE_INTERNALS,
    "*.draft_title": PAGE_INTERNALS,
    "portal.ApiToken.key_hash": SECRET,
    "portal.ApiToken.auth_hash": SECRET,
    "volunteering.OneTimeCode.code_digest": SECRET,
    "volunteering.Invitation.token_digest": SECRET,
    "volunteering.Member.calendar_token": SECRET,
    "volunteering.ActivityPage.checkin_code": SECRET,
    "volunteering.Feedback.code": "the receipt code, generated",
    "volunteering.PointEntry.rule_key": "a key of the points rules, set by the code",
    "volunteering.PointEntry.reason_code": "a code, set by the code",
    "portal.ApiToken.client": "the client's name given when a token is issued, shown only to its "
    "own member as text (tests/portal/test_api_tokens.py)",
    "volunteering.Feedback.phone": VALIDATED,
    "volunteering.Member.phone": VALIDATED,
    "volunteering.OneTimeCode.phone": VALIDATED,
    "volunteering.Invitation.sent_to": VALIDATED,
    "volunteering.PasswordResetEmail.sent_to": VALIDATED,
    "portal.LoginFailure.address": "the client address, parsed as an IP address",
    "portal.HomePage.*": EDITORS_OF_THE_SITE,
    "portal.StandardPage.*": EDITORS_OF_THE_SITE,
    "portal.PortalSettings.*": EDITORS_OF_THE_SITE,
    "news.NewsIndexPage.*": EDITORS_OF_THE_SITE,
    "volunteering.ActivityIndexPage.*": EDITORS_OF_THE_SITE,
    "volunteering.CommunityIndexPage.*": EDITORS_OF_THE_SITE,
    "volunteering.CountyPage.*": EDITORS_OF_THE_SITE,
    "volunteering.BrandProjectPage.*": EDITORS_OF_THE_SITE,
    "volunteering.BrandCard.*": EDITORS_OF_THE_SITE,
    "workflows.CommunityReviewTask.name": EDITORS_OF_THE_SITE,
    "workflows.GroupReviewTask.name": EDITORS_OF_THE_SITE,
    "volunteering.Historical*.*": "history rows copy the fields above; their own reasons are "
    "written by the transitions the world makes (a returned report's reason)",
}


def is_left_out(key: str) -> bool:
    app_model, field = key.rsplit(".", 1)
    app, model = app_model.split(".")
    candidates = [key, f"*.{field}", f"{app_model}.*"]
    if model.startswith("Historical"):
        candidates.append(f"{app}.Historical*.*")
    return any(c in LEFT_OUT for c in candidates)
