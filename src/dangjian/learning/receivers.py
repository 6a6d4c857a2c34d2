"""The learning app's answers to what lower apps tell it: a volunteer activity recorded
in a hospital that counts volunteer hours as class hours (service.ServiceTarget of the
activity's year) credits each volunteer's hours as one study record, inside the same
transaction."""

from django.dispatch import receiver

from dangjian.meetings.study_credit import hospital_of, record_volunteer_study
from dangjian.service.queries import hours_count_as_study
from dangjian.service.signals import activity_recorded


@receiver(activity_recorded, dispatch_uid="learning.volunteer_hours_as_study")
def credit_volunteer_hours(sender, activity, by=None, **kwargs):
    hospital = hospital_of(activity.organization)
    if not hours_count_as_study(hospital, activity.held_on.year):
        return
    for volunteer in activity.volunteers.select_related("person__organization"):
        record_volunteer_study(
            volunteer.person, title=f"志愿服务：{activity.title}", hours=volunteer.hours,
            studied_on=activity.held_on, by=by,
        )  # fmt: skip
