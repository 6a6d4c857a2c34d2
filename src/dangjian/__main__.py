"""The `dangjian` console script: Django's manage.py, with the project's own commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    from django.core.management import execute_from_command_line

    argv = sys.argv[:]
    # `dangjian dues calc …` reads better than `dangjian dues_calc …`; both work.
    if len(argv) > 2 and argv[1] == "dues" and argv[2] == "calc":
        argv[1:3] = ["dues-calc"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
