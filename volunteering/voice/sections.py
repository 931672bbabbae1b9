"""What residents' voice shows on the home page, answering portal's `home_page_sections` hook
(portal.sections): 我要提意见/求助 (a chooser of communities, each opening its form) and
查询办理进度 (the status page), right below the introduction so a phone finds them at once.
Registered in volunteering/wagtail_hooks.py. No query."""

from portal.sections import Section

HOME_VOICE_ORDER = 5  # before the figures: what a resident came for comes first


def home_page_sections(home, request) -> Section:
    return Section("volunteering/voice/includes/home_voice.html", order=HOME_VOICE_ORDER)
