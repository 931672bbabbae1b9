"""What the figures show on the home page, answering portal's `home_page_sections` hook
(portal.sections): the city's live figures (工作数据), first. Registered in
volunteering/wagtail_hooks.py."""

from portal.sections import Section

HOME_FIGURES_ORDER = 10  # the first section, right below the home page's introduction


def home_page_sections(home, request) -> Section:
    """The figures come from the cache through `{% live_figures %}`, with the home page's
    one-line note (数据说明) below them."""
    return Section(
        "volunteering/figures/includes/home_figures.html",
        {"figures_note": home.figures_note},
        order=HOME_FIGURES_ORDER,
    )
