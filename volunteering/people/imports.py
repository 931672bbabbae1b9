"""Bulk import of an organisation's members (在职党员) from an XLSX or CSV file.

Three steps, each usable without the admin:
1. `member_rows_read(file=…, filename=…)` reads the file into plain rows (strings by column);
2. `members_import_preview(organisation=…, rows=…)` checks every row and says what importing it
   would do (new, update, unchanged) or why it cannot (its errors);
3. `members_import_apply(organisation=…, rows=…, by=…)` checks again and, only if every row is
   valid, imports them all in one transaction.

The username is the stable key: a row whose username belongs to a member of the same
organisation updates that member, so importing the same file twice changes nothing. Optional
cells left empty keep what is already recorded."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from volunteering import errors
from volunteering.communities.models import CommunityPage
from volunteering.people.import_files import COLUMN_KEYS, COLUMNS
from volunteering.people.models import Member, Organisation, Skill
from volunteering.people.phones import phone_canonical
from volunteering.people.services import member_create
from workflows.history import system_reason
from workflows.statemachine import record_actor

# Why a member's history changed, when an import created or updated them.
IMPORTED = system_reason("imported", _("名单导入"))

NAME_MAX_LENGTH = Member._meta.get_field("real_name").max_length


OTHER_SKILLS_MAX_LENGTH = Member._meta.get_field("other_skills").max_length


USERNAME_MAX_LENGTH = 150


SKILL_SEPARATORS = re.compile(r"[,，、;；/\n]+")


COMMUNITY_SEPARATORS = re.compile(r"\s*[/／]\s*")


class Status:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"

    LABELS = {
        NEW: _("新增"),
        UPDATE: _("更新"),
        UNCHANGED: _("无变化"),
        ERROR: _("有错误"),
    }


@dataclass
class ImportRow:
    line: int  # the row's number in the spreadsheet, counting the heading as row 1
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    status: str = Status.NEW
    member_id: int | None = None
    changes: list[str] = field(default_factory=list)  # headings of the columns that change

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def phone_shown(self) -> str:
        """The phone number as it will be stored (`139 0874 1001`), or as typed if invalid."""
        typed = self.values.get("phone", "")
        return (phone_canonical(typed) or typed) if typed else ""


@dataclass
class ImportPreview:
    organisation: Organisation
    rows: list[ImportRow]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class _Lookups:
    """Everything the rows refer to, loaded in a few queries for the whole file."""

    users: dict[str, Any]
    members: dict[int, Member]  # by user id
    skills: dict[str, Skill]
    communities: dict[str, list[CommunityPage]]  # by title and by "county/title"


def _lookups(rows: Sequence[dict[str, str]]) -> _Lookups:
    usernames = {r.get("username", "").strip() for r in rows} - {""}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    members = {
        m.user_id: m
        for m in Member.objects.filter(user__in=users.values()).prefetch_related("skills")
    }
    skills = {s.name: s for s in Skill.objects.all()}
    communities: dict[str, list[CommunityPage]] = {}
    titles = {
        COMMUNITY_SEPARATORS.split(r.get("residence_community", "").strip())[-1] for r in rows
    } - {""}
    if titles:
        pages = CommunityPage.objects.filter(title__in=titles)
        parents = _county_titles(pages)
        for page in pages:
            communities.setdefault(page.title, []).append(page)
            county = parents.get(page.path[: -CommunityPage.steplen])
            if county:
                communities.setdefault(f"{county}/{page.title}", []).append(page)
    return _Lookups(users, members, skills, communities)


def _county_titles(pages: Iterable[CommunityPage]) -> dict[str, str]:
    from wagtail.models import Page

    paths = {page.path[: -CommunityPage.steplen] for page in pages}
    return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))


def members_import_preview(
    *, organisation: Organisation, rows: Sequence[dict[str, str]]
) -> ImportPreview:
    """Check every row and say what importing it would do. Bounded queries for any file."""
    lookups = _lookups(rows)
    seen: dict[str, int] = {}
    checked = []
    for raw in rows:
        row = ImportRow(
            line=int(raw.get("line") or 0),
            values={k: (raw.get(k) or "").strip() for k in COLUMN_KEYS},
        )
        _check_row(row, organisation=organisation, lookups=lookups, seen=seen)
        checked.append(row)
    return ImportPreview(organisation=organisation, rows=checked)


def _check_row(row: ImportRow, *, organisation, lookups: _Lookups, seen: dict[str, int]) -> None:
    values = row.values
    row.errors.extend(_username_errors(values["username"], row.line, seen))
    row.errors.extend(_field_errors(values, lookups))
    user = lookups.users.get(values["username"])
    member = lookups.members.get(user.pk) if user else None
    if user and (member is None or member.organisation_id != organisation.pk):
        row.errors.append(str(errors.IMPORT_USERNAME_TAKEN))
    if row.errors:
        row.status = Status.ERROR
        return
    if member is None:
        row.status = Status.NEW
        return
    row.member_id = member.pk
    row.changes = _changes(member, user, values, lookups)
    row.status = Status.UPDATE if row.changes else Status.UNCHANGED


def _username_errors(username: str, line: int, seen: dict[str, int]) -> list[str]:
    if not username:
        return [str(errors.IMPORT_USERNAME_MISSING)]
    problems = []
    try:
        UnicodeUsernameValidator()(username)
        if len(username) > USERNAME_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        problems.append(str(errors.IMPORT_USERNAME_INVALID))
    if username in seen:
        problems.append(str(errors.IMPORT_USERNAME_DUPLICATE % {"line": seen[username]}))
    else:
        seen[username] = line
    return problems


def _field_errors(values: dict[str, str], lookups: _Lookups) -> list[str]:
    problems = []
    name = values["real_name"]
    if not name:
        problems.append(str(errors.IMPORT_NAME_MISSING))
    elif len(name) > NAME_MAX_LENGTH:
        problems.append(str(errors.IMPORT_NAME_TOO_LONG % {"max": NAME_MAX_LENGTH}))
    if values["phone"] and phone_canonical(values["phone"]) is None:
        problems.append(str(errors.IMPORT_PHONE_INVALID % {"phone": values["phone"]}))
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(str(errors.IMPORT_EMAIL_INVALID % {"email": values["email"]}))
    if values["residence_community"]:
        problems.extend(_community_errors(values["residence_community"], lookups))
    for skill in skill_names(values["skills"]):
        if skill not in lookups.skills:
            problems.append(str(errors.IMPORT_UNKNOWN_SKILL % {"name": skill}))
    if len(values["other_skills"]) > OTHER_SKILLS_MAX_LENGTH:
        problems.append(str(errors.IMPORT_OTHER_SKILLS_TOO_LONG % {"max": OTHER_SKILLS_MAX_LENGTH}))
    return problems


def skill_names(text: str) -> list[str]:
    return [name.strip() for name in SKILL_SEPARATORS.split(text or "") if name.strip()]


def _community_key(text: str) -> str:
    return "/".join(COMMUNITY_SEPARATORS.split(text.strip()))


def _community_errors(text: str, lookups: _Lookups) -> list[str]:
    found = lookups.communities.get(_community_key(text), [])
    if not found:
        return [str(errors.IMPORT_UNKNOWN_COMMUNITY % {"name": text})]
    if len(found) > 1:
        return [str(errors.IMPORT_AMBIGUOUS_COMMUNITY % {"name": text})]
    return []


def _resolved(values: dict[str, str], lookups: _Lookups) -> dict[str, Any]:
    """The row's values as model values; empty optional cells are left out (kept as they are)."""
    resolved: dict[str, Any] = {"real_name": values["real_name"]}
    for key in ("phone", "email", "other_skills"):
        if values[key]:
            resolved[key] = values[key]
    if values["phone"]:
        resolved["phone"] = phone_canonical(values["phone"]) or values["phone"]
    if values["residence_community"]:
        resolved["residence_community"] = lookups.communities[
            _community_key(values["residence_community"])
        ][0]
    if values["skills"]:
        resolved["skills"] = {lookups.skills[n] for n in skill_names(values["skills"])}
    return resolved


def _changes(member: Member, user, values: dict[str, str], lookups: _Lookups) -> list[str]:
    wanted = _resolved(values, lookups)
    current = {
        "real_name": member.real_name,
        "phone": member.phone,
        "email": user.email,
        "other_skills": member.other_skills,
        "residence_community": member.residence_community_id,
        "skills": {s.pk for s in member.skills.all()},
    }
    if "residence_community" in wanted:
        wanted["residence_community"] = wanted["residence_community"].pk
    if "skills" in wanted:
        wanted["skills"] = {s.pk for s in wanted["skills"]}
    headings = {c.key: str(c.label) for c in COLUMNS}
    return [headings[key] for key, value in wanted.items() if current[key] != value]


@transaction.atomic
def members_import_apply(
    *, organisation: Organisation, rows: Sequence[dict[str, str]], by
) -> ImportResult:
    """Import every row, or nothing: the rows are checked again inside the transaction (with
    the organisation locked, so two imports into it run one after the other)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    preview = members_import_preview(organisation=organisation, rows=rows)
    if not preview.is_valid:
        raise errors.ServiceError(errors.IMPORT_NOT_VALID, code="invalid")
    lookups = _lookups(rows)
    for row in preview.rows:
        if row.status == Status.NEW:
            _create_from_row(row, organisation=organisation, lookups=lookups, by=by)
        elif row.status == Status.UPDATE:
            _update_from_row(row, lookups=lookups, by=by)
    return ImportResult(
        created=preview.count(Status.NEW),
        updated=preview.count(Status.UPDATE),
        unchanged=preview.count(Status.UNCHANGED),
    )


def _create_from_row(row: ImportRow, *, organisation, lookups: _Lookups, by) -> Member:
    values = _resolved(row.values, lookups)
    return member_create(
        organisation=organisation,
        username=row.values["username"],
        real_name=values["real_name"],
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        residence_community=values.get("residence_community"),
        skills=values.get("skills", ()),
        other_skills=values.get("other_skills", ""),
        by=by,
        reason=IMPORTED,
    )


def _update_from_row(row: ImportRow, *, lookups: _Lookups, by) -> Member:
    values = _resolved(row.values, lookups)
    member = Member.objects.select_related("user").get(pk=row.member_id)
    if "email" in values and member.user.email != values["email"]:
        member.user.email = values["email"]
        member.user.save(update_fields=["email"])
    skills = values.pop("skills", None)
    values.pop("email", None)
    for name, value in values.items():
        setattr(member, name, value)
    member.full_clean()
    record_actor(member, by=by, reason=IMPORTED)
    member.save()
    if skills is not None:
        member.skills.set(skills)
    return member
