from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "dangjian.people"
    label = "people"
    verbose_name = "人员"

    def ready(self):
        from dangjian.accounts import audit_people

        from . import audit_lookup

        audit_people.register(names=audit_lookup.names, matching=audit_lookup.matching)
