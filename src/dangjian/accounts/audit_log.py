"""The audit log's read side, shared by its page and its export: the filters (person,
action, actor, dates), the scoped entries, and each entry in words (the action and
object in Chinese, the person concerned by name, before → after of what changed).

Names are looked up once per page for all its entries, never per row."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit_labels as labels
from dangjian.core.forms import date_input
from dangjian.core.masking import mask_id_number
from dangjian.core.models import AuditEntry

from . import audit_people
from .models import User
from .scope import prefix_q, scope_for

# The actions of the security events: what the audit administrator reviews.
SECURITY_ACTIONS = (
    "login", "logout", "password.", "api.token", "calendar.feed", "otp.", "account.",
    "role.", "security.",
)  # fmt: skip
ID_LIKE = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
PERSON_TYPE = "people.person"
USER_TYPE = "accounts.user"
# Summary keys the row shows in other ways (the person by name, changes as before → after),
# and those that the changes say again when an entry has them.
SHOWN_APART = {"changes", "person"}
SAID_BY_CHANGES = {"fields", "before"}


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("人员"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("姓名或完整身份证号")}),
    )  # fmt: skip
    person_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    action = forms.CharField(label=gettext_lazy("操作"), required=False, max_length=64)
    actor = forms.CharField(label=gettext_lazy("操作人"), required=False, max_length=150)
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False, widget=date_input())
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False, widget=date_input())
    # Older links: the security events only (the action group 账号与安全 does the same).
    security = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget = forms.Select(
            choices=[("", _("全部操作")), *labels.action_choices()]
        )
        for bound in self.fields.values():
            is_select = isinstance(bound.widget, forms.Select)
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            bound.widget.attrs["class"] = css

    def clean_action(self):
        """An action code, a whole group (`@dues`), or (older links) a code prefix such as
        `person.`."""
        value = self.cleaned_data["action"].strip()
        group = value[1:] if value.startswith("@") else None
        if not value or value in labels.ACTION_LABELS or group in labels.GROUP_ACTIONS:
            return value
        if value.endswith(".") and any(c.startswith(value) for c in labels.ACTION_LABELS):
            return value
        raise forms.ValidationError(_("没有这种操作：%(value)s") % {"value": value})

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data


@dataclass
class Selection:
    """What the filters picked: the entries, and the person named by `person_id`."""

    entries: object
    person_name: str = ""
    refused: bool = False  # the filters had an error: nothing shown


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _about_people(ids: list[int]) -> Q:
    if not ids:
        return Q(pk__in=[])
    return Q(object_type=PERSON_TYPE, object_id__in=[str(i) for i in ids]) | Q(
        summary__person__in=ids
    )


def _by_action(value: str) -> Q:
    if value.startswith("@"):
        return Q(action__in=labels.GROUP_ACTIONS[value[1:]])
    if value in labels.ACTION_LABELS:
        return Q(action=value)
    return Q(action__startswith=value)


def select(user, form: AuditFilterForm) -> Selection:
    """The entries of the user's audit subtrees that the valid filters keep, newest first;
    404 for a `person_id` the user may not read."""
    entries = scope_for(user).filter_audit(AuditEntry.objects.all()).select_related("actor")
    if not form.is_valid():
        return Selection(entries.none(), refused=True)
    data, person_name = form.cleaned_data, ""
    if data["person_id"]:
        person_name = audit_people.names(user, [data["person_id"]]).get(data["person_id"])
        if person_name is None:
            raise Http404(_("没有这个人员"))
        entries = entries.filter(_about_people([data["person_id"]]))
    if data["person"]:
        entries = entries.filter(_about_people(audit_people.matching(user, data["person"])))
    if data["action"]:
        entries = entries.filter(_by_action(data["action"]))
    if data["security"]:
        entries = entries.filter(prefix_q("action", list(SECURITY_ACTIONS)))
    if actor := data["actor"].strip():
        entries = entries.filter(
            Q(actor_name__contains=actor) | Q(actor__first_name__contains=actor)
        )
    if data["date_from"]:
        entries = entries.filter(created_at__gte=_day_start(data["date_from"]))
    if data["date_to"]:
        entries = entries.filter(created_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return Selection(entries, person_name=person_name or "")


def found_by_number(user, form: AuditFilterForm) -> int | None:
    """The one person a whole ID-card number in the person filter finds, if any."""
    if not form.is_valid() or not ID_LIKE.match(form.cleaned_data["person"].strip()):
        return None
    found = audit_people.matching(user, form.cleaned_data["person"])
    return found[0] if len(found) == 1 else None


def recorded_filters(form: AuditFilterForm) -> dict:
    """The filters as the export's own audit entry keeps them: an ID-card number typed
    to find a person is kept masked."""
    kept = {k: str(v) for k, v in form.cleaned_data.items() if v not in (None, "", False)}
    if ID_LIKE.match(kept.get("person", "")):
        kept["person"] = mask_id_number(kept["person"])
    return kept


@dataclass
class Row:
    entry: AuditEntry
    action: str
    object: str
    actor: str
    person: str = ""  # the person (or account) the entry concerns, by name
    person_id: int | None = None  # when the user may read that person: their entries
    changes: list = field(default_factory=list)  # (field label, before, after)
    details: list = field(default_factory=list)  # (label, value)

    @property
    def source(self) -> str:
        return self.entry.ip_address


def _person_id(entry: AuditEntry) -> int | None:
    if entry.object_type == PERSON_TYPE and entry.object_id.isdigit():
        return int(entry.object_id)
    person = entry.summary.get("person") if isinstance(entry.summary, dict) else None
    return person if isinstance(person, int) else None


def _user_id(entry: AuditEntry) -> int | None:
    is_user = entry.object_type == USER_TYPE and entry.object_id.isdigit()
    return int(entry.object_id) if is_user else None


def _text(value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{labels.summary_label(k)}：{_text(v)}" for k, v in value.items())
    return "—" if value in (None, "") else str(value)


def _changes(entry: AuditEntry) -> list:
    changed = entry.summary.get("changes") if isinstance(entry.summary, dict) else None
    if not isinstance(changed, dict):
        return []
    model = labels.CHANGED_MODELS.get(entry.action, entry.object_type)
    rows = []
    for name in labels.in_field_order(model, changed):
        pair = changed[name]
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        rows.append((
            labels.field_label(model, name),
            labels.field_value(model, name, before),
            labels.field_value(model, name, after),
        ))  # fmt: skip
    return rows


def _details(entry: AuditEntry, summary: dict) -> list:
    """The rest of the summary, labelled; the fields an edit names, by their labels
    (entries written before edits recorded before → after have only these)."""
    changes = summary.get("changes") if isinstance(summary.get("changes"), dict) else {}
    shown = SHOWN_APART | (SAID_BY_CHANGES | changes.keys() if changes else set())
    if [summary.get("from"), summary.get("to")] in changes.values():  # a rename's old → new
        shown |= {"from", "to"}
    details = []
    for key in labels.in_summary_order(summary):
        value = summary[key]
        if key in shown:
            continue
        if key == "fields" and isinstance(value, list):
            value = [labels.field_label(entry.object_type, str(name)) for name in value]
        shown_value = labels.summary_value(entry.action, key, value)
        details.append((labels.summary_label(key, entry.action), shown_value or _text(value)))
    return details


def _actor(entry: AuditEntry) -> str:
    user = entry.actor
    if user is not None and user.first_name:
        return f"{user.first_name}（{entry.actor_name}）"
    return entry.actor_name or "—"


def rows(user, entries) -> list[Row]:
    """The entries in words; two look-ups for the whole list (people, accounts)."""
    entries = list(entries)
    people = audit_people.names(user, {p for e in entries if (p := _person_id(e))})
    user_ids = {u for e in entries if (u := _user_id(e))}
    accounts = {
        pk: name or username
        for pk, name, username in (
            User.objects.filter(pk__in=user_ids).values_list("pk", "first_name", "username")
            if user_ids
            else ()
        )
    }
    result = []
    for entry in entries:
        person_id, user_id = _person_id(entry), _user_id(entry)
        if person_id is not None:
            person = people.get(person_id) or _("人员 #%(id)s") % {"id": person_id}
            person_id = person_id if person_id in people else None
        elif user_id is not None:
            person = accounts.get(user_id) or _("账号 #%(id)s") % {"id": user_id}
        else:
            person = ""
        summary = entry.summary if isinstance(entry.summary, dict) else {}
        result.append(
            Row(
                entry=entry,
                action=labels.action_label(entry.action),
                object=labels.object_type_label(entry.object_type),
                actor=_actor(entry),
                person=person,
                person_id=person_id,
                changes=_changes(entry),
                details=_details(entry, summary),
            )
        )
    return result
