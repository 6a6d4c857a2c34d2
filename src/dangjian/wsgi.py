import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
application = get_wsgi_application()


def _refuse_a_wrong_field_key() -> None:
    """gunicorn stops ("App failed to load", exit code 4) with one line instead of
    serving pages that cannot read, or would garble, the encrypted fields."""
    from django.db import connections

    from dangjian.core.fieldkey import field_key_problem

    problem = field_key_problem()
    connections.close_all()  # workers forked from a preloading master open their own
    if problem:
        sys.stderr.write(f"{problem}\n")
        sys.stderr.flush()
        raise SystemExit(4)


_refuse_a_wrong_field_key()
