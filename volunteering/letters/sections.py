"""What letters add to a community's page (communities' `community_page_sections` extension
point): the community's public notices (社区通知), linked to their public pages. Registered in
volunteering/wagtail_hooks.py; one query, nothing shown when there are none."""

from portal.sections import Section
from volunteering.letters.selectors import community_notices

COMMUNITY_NOTICES = 5
COMMUNITY_NOTICES_ORDER = 90  # just before the community's news (news: 100)


def community_page_sections(community, request) -> Section | None:
    notices = community_notices(community, limit=COMMUNITY_NOTICES)
    if not notices:
        return None
    return Section(
        "volunteering/letters/includes/community_notices.html",
        {"community_notices": notices},
        order=COMMUNITY_NOTICES_ORDER,
    )
