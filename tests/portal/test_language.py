from django.conf import settings


def test_portal_is_chinese_even_for_an_english_browser(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_language_switcher_switches_to_english_and_back(client, site_tree):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/").content.decode()
    assert 'lang="en"' in html
    assert "Skip to content" in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-Hans"' in client.get("/").content.decode()


def test_unknown_language_cookie_falls_back_to_chinese(client, site_tree):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert 'lang="zh-Hans"' in client.get("/").content.decode()


def test_switcher_refuses_to_redirect_off_site(client, site_tree):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")
