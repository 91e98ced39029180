import pytest
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_ok_without_login(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
