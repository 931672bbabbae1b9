"""Template tags of the portal's pages: the main menu, the sharing card's tags and the sections
other apps add to a page."""

from django import template
from django.utils.translation import gettext
from wagtail.models import Page, Site

from portal import phones
from portal.models import PortalSettings
from portal.page_tree_cache import tree_cached
from portal.phones import keep_phones_whole, link_phones
from portal.sections import Section
from portal.sharing import share_meta_context

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """The home page's live children that are shown in menus: kept in the shared cache until the
    page tree changes (portal.page_tree_cache), and on the request."""
    request = context.get("request")
    cached = getattr(request, "_main_menu_pages", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request) if request else None
    pages = []
    if site:
        pages = tree_cached(f"main-menu:{site.pk}", lambda: _menu_pages(site.root_page))
    if request is not None:
        request._main_menu_pages = pages
    return pages


def _menu_pages(root) -> list[Page]:
    return list(
        Page.objects.live()
        .public()
        .in_menu()
        .child_of(root)
        .only("title", "url_path", "path", "depth")
    )


@register.filter
def known_words(value):
    """Words the project itself put in the database (the site's default title and tagline, the
    titles of the main sections the setup creates: 工作动态, 志愿活动, 社区导航…) in the reader's
    language when the English catalog has them; whatever an editor wrote stays as written."""
    return gettext(str(value)) if value else value


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context):
    """Description and Open Graph tags so links shared in WeChat, Weibo and QQ show a card."""
    request = context.get("request")
    portal_settings = PortalSettings.for_request(request) if request else None
    return share_meta_context(
        page=context.get("page"),
        request=request,
        portal_settings=portal_settings,
        context=context,
    )


@register.simple_tag(takes_context=True)
def render_section(context, section: Section):
    """A page section added by another app (portal.sections): its template, rendered like an
    `{% include %}` in the page's context with the section's own context on top."""
    template = context.template.engine.get_template(section.template_name)
    with context.push(**section.context):
        return template.render(context)


@register.filter(is_safe=True)
def tel_links(text):
    """Text with its phone numbers as tap-to-call links (escaped): `{{ card.contact|tel_links }}`,
    and before `linebreaksbr`, which keeps what this made safe."""
    return link_phones(text)


@register.filter
def tel_href(number):
    """`tel:` and the digits of a number shown on its own: `href="{{ phone|tel_href }}"`."""
    return phones.tel_href(number)


@register.filter(is_safe=True)
def phones_unbroken(text):
    """Text with its phone numbers kept whole on one line (printed cards, where a link is no
    use): `{{ card.contact|phones_unbroken }}`."""
    return keep_phones_whole(text)
