from tests import factories


def test_home_page_shows_latest_news_and_communities(client, site_tree):
    factories.NewsPageFactory(parent=site_tree.news, title="社区报到工作扎实推进")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "社区报到工作扎实推进" in html
    assert "麒麟社区" in html
    assert 'lang="zh-Hans"' in html
