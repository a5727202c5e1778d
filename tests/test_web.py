from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_page_is_swedish(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "Välkommen till NUSO" in text


def test_health_reports_the_database(client: Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_security_headers_are_sent(client: Client) -> None:
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_static_files_are_served_without_collectstatic(client: Client) -> None:
    response = client.get("/static/web/nuso.css")
    assert response.status_code == 200


def test_every_page_names_an_icon_that_is_served(client: Client) -> None:
    """Browsers asked for /favicon.ico and got a 404 on every page (issue 20 walk)."""
    page = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon is not None
    response = client.get(icon.group(1))
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
