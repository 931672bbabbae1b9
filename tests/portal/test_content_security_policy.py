"""The Content-Security-Policy (django-csp, docs/deployment.md): strict on public pages, the
admin's inline scripts and styles allowed under /admin/ and /django-admin/ only, a nonce where a
public page needs one inline style. tests/e2e/test_content_security_policy.py loads the pages
and the admin's page editor under it in a browser."""

import re

from django.contrib.auth import get_user_model

from tests import factories


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_public_pages_allow_nothing_inline_and_nothing_from_other_hosts(client, site_tree):
    for url in ("/", site_tree.news.url, "/accounts/login/", "/health/"):
        policy = _directives(client.get(url))
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url  # no nonce asked for: none sent
        assert policy["style-src"] == ["'self'"], url
        assert policy["img-src"] == ["'self'", "data:", "blob:"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'self'"], url
        assert policy["form-action"] == ["'self'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert "'unsafe-inline'" not in response_header(client, url)
        assert "'unsafe-eval'" not in response_header(client, url)


def response_header(client, url: str) -> str:
    return client.get(url)["Content-Security-Policy"]


def test_the_admins_get_inline_scripts_and_styles_and_nothing_more(client, site_tree):
    assert _directives(client.get("/admin/login/"))["script-src"] == ["'self'", "'unsafe-inline'"]
    user = get_user_model().objects.create_superuser("csp-admin", "a@example.com", "pw")
    client.force_login(user)
    for url in ("/admin/", f"/admin/pages/{site_tree.home.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _directives(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert policy["default-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'self'"], url  # the preview panel's iframe
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    policy = _directives(client.get("/django-admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]


def test_a_printed_records_running_header_carries_this_responses_nonce(client, site_tree):
    """The one inline <style> of a public page: allowed by a nonce new on every response."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from portal.middleware import ContentSecurityPolicyMiddleware

    def view(request):
        from django.http import HttpResponse

        return HttpResponse(
            render_to_string(
                "volunteering/records/record_print_base.html",
                {"running_title": "张三", "running_date": "2026-12-07"},
                request=request,
            )
        )

    middleware = ContentSecurityPolicyMiddleware(view)
    nonces = set()
    for _ in range(2):
        response = middleware(RequestFactory().get("/records/print/"))
        html = response.content.decode()
        nonce = re.search(r'<style nonce="([^"]+)">@page', html).group(1)
        assert _directives(response)["style-src"] == ["'self'", f"'nonce-{nonce}'"]
        nonces.add(nonce)
    assert len(nonces) == 2


def test_no_public_template_has_inline_script_style_attribute_or_handler():
    """What the policy would block, found before a browser does: an inline <script> (one with
    no src), a style="" attribute, an on…="" handler; an inline <style> only with the nonce."""
    from django.conf import settings

    offenders = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs:
                offenders.append(f"{path.name}: inline script")
        if re.search(r"\sstyle=\"", text):
            offenders.append(f"{path.name}: style attribute")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path.name}: event handler attribute")
        for match in re.finditer(r"<style\b([^>]*)>", text):
            if "csp_nonce" not in match.group(1):
                offenders.append(f"{path.name}: <style> without the nonce")
    assert offenders == []


def test_brand_cards_print_under_the_policy(client, site_tree):
    brand = factories.BrandProjectPageFactory(parent=site_tree.community)
    factories.BrandCardFactory(page=brand, title="爱心卡", text="上门服务", contact="")
    response = client.get(brand.url + brand.reverse_subpage("print_cards"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "style=" not in html and 'data-lines="' in html
