"""The `dangjian` console script: Django's manage.py, with the project's own commands."""

import os
import sys

STORAGE_FAULT_EXIT = 3


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
    except OSError as refused:  # the settings create the data directory
        sys.stderr.write(
            f"数据目录无法创建：{refused.filename}（{refused.strerror}），"
            "请检查 DANGJIAN_DATA_DIR 及其权限。\n"
        )
        sys.exit(2)
    from dangjian.core.audit_source import COMMAND_LINE, acting_from

    try:
        with acting_from(COMMAND_LINE):
            execute_from_command_line(sys.argv)
    except Exception as exc:
        from dangjian.core.faults import storage_fault

        message = storage_fault(exc)
        if message is None:
            raise
        # One line for whoever runs the command, with the original error for the operator.
        original = " ".join(str(exc).split())
        sys.stderr.write(f"{message}（{type(exc).__name__}: {original}）\n")
        sys.exit(STORAGE_FAULT_EXIT)


if __name__ == "__main__":
    main()
