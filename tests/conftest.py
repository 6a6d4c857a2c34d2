import os

os.environ.setdefault("DANGJIAN_TESTING", "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _audit_checkpoint_dir(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_triggers():
    """Transactional and live-server tests empty every table afterwards (DELETE on SQLite,
    TRUNCATE on PostgreSQL), which the audit table's triggers refuse, as they should in
    production. Only here, the flush lifts them and puts the same ones back, in its own
    transaction."""
    from functools import wraps

    from django.db import transaction
    from django.db.backends.base.operations import BaseDatabaseOperations

    from tests.core.audit_tamper import triggers_lifted

    flush = BaseDatabaseOperations.execute_sql_flush

    @wraps(flush)
    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias), triggers_lifted(self.connection):
            flush(self, sql_list)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BaseDatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def two_hospitals(db):
    """Hospital A and hospital B under one guidance committee, each with two branches."""
    from dangjian.orgs.models import OrgKind
    from tests.factories import add_org, hospital_tree

    guidance = add_org(None, "CITY", OrgKind.GUIDANCE_COMMITTEE, "示例市医院党建工作指导委员会")
    a = hospital_tree("HA", guidance)
    guidance.refresh_from_db()
    b = hospital_tree("HB", guidance)
    guidance.refresh_from_db()
    return guidance, a, b


@pytest.fixture
def world(two_hospitals):
    """Two hospitals with a user per role made on demand (tests/pages/world.py)."""
    from tests.pages.world import World

    guidance, (ha, ha_b1, ha_b2), (hb, hb_b1, hb_b2) = two_hospitals
    for org in (ha, ha_b1, ha_b2, hb, hb_b1, hb_b2):
        org.refresh_from_db()
    return World(guidance, ha, ha_b1, ha_b2, hb, hb_b1, hb_b2)
