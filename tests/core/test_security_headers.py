"""Browser hardening headers (issue 14): a Content-Security-Policy that allows our own
static files only, a Permissions-Policy that switches off the features no page uses, and
templates that need nothing the policy refuses."""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

import dangjian

TEMPLATES = sorted(Path(dangjian.__file__).parent.glob("*/templates/**/*.html"))


def _directives(header: str) -> dict[str, set[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/api/v1/docs", "/api/v1/openapi.json"])
def test_responses_carry_the_policies(client, url):
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy == {
        "default-src": {"'self'"},
        "script-src": {"'self'"},
        "style-src": {"'self'"},
        "img-src": {"'self'", "data:"},
        "connect-src": {"'self'"},
        "frame-ancestors": {"'none'"},
        "form-action": {"'self'"},
        "base-uri": {"'self'"},
        "object-src": {"'none'"},
    }
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def test_templates_need_no_inline_script_or_style():
    """The policy refuses inline scripts, handler attributes, javascript: links and style
    attributes; a template that used one would break under it (data attributes and
    core/static/js/dangjian.js instead). json_script blocks are data, not scripts."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    refused = {
        "inline script": inline_script,
        "handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
        "javascript: URL": re.compile(r"javascript:", re.I),
        "style attribute": re.compile(r"\sstyle\s*=", re.I),
        "style element": re.compile(r"<style", re.I),
    }
    found = [
        f"{template.relative_to(Path(dangjian.__file__).parent)}: {what}"
        for template in TEMPLATES
        for what, pattern in refused.items()
        if pattern.search(template.read_text())
    ]
    assert TEMPLATES and found == []


@pytest.mark.django_db
def test_the_api_docs_send_nothing_to_the_swagger_validator(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_user(
            "reader", must_change_password=False, password_changed_at=timezone.now()
        )
    )
    page = client.get("/api/v1/docs").content.decode()
    settings = re.search(r'id="swagger-settings">(.*?)</script>', page, re.S).group(1)
    assert json.loads(settings)["validatorUrl"] is None
