"""Production serves static files from `collectstatic` with hashed names (WhiteNoise's
manifest storage), which fails on any reference to a file that is not there, such as a
vendored library's source map we do not ship."""

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_succeeds_with_the_production_manifest_storage(tmp_path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.bundle.min.js" in manifest
    assert "vendor/echarts/echarts.min.js" in manifest


def test_the_site_icon_is_named_by_every_page_and_served_at_favicon_ico(client):
    login_page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon"' in login_page and 'lang="zh-CN"' in login_page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer["Location"].endswith(".svg")
    assert client.get(answer["Location"]).status_code == 200
