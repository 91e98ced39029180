"""The home page: only for signed-in people (what it shows each person: tests/pages)."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_office_user_sees_the_chinese_home_page(office_client: Client) -> None:
    response = office_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "的工作台" in page
    assert "尚未导入任何台账" in page  # no plan yet: the office is told so, with the way to import
    assert 'href="/imports/"' in page
    assert "即将推出" not in page
    assert '<html lang="zh-hans">' in page


def test_an_english_browser_gets_english(office_client: Client) -> None:
    response = office_client.get("/", headers={"accept-language": "en"})
    assert "No plan has been imported yet." in response.content.decode()


def test_pages_load_no_third_party_resources(office_client: Client) -> None:
    page = office_client.get("/").content.decode()
    assert "/static/vendor/htmx.min.js" in page
    assert "http://" not in page.replace("http://127.0.0.1", "")
    assert "https://" not in page
