"""The `dangjian` console script: Django's manage.py, with the project's own commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load the settings: they refuse missing keys
    except ImproperlyConfigured as refused:
        # Django would go on and fail later with "Models aren't loaded yet".
        sys.stderr.write(f"配置错误：{refused}（开发与演示请设置 DEBUG=1）\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
