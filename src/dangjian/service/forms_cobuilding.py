"""Page input for co-building agreements and alliances; the services check the rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import Picker

from .forms import AREA, DATE, SELECT, TEXT
from .rules import PartnerKind

KIND_BY_LABEL = {str(label): value for value, label in PartnerKind.choices}


class PartnershipForm(forms.Form):
    title = forms.CharField(label=_("协议名称"), max_length=200, widget=TEXT)
    partner_kind = forms.ChoiceField(
        label=_("共建单位类别"), choices=PartnerKind.choices, widget=SELECT
    )
    partner_org = forms.ModelChoiceField(
        label=_("系统内的共建党组织"), queryset=None, required=False, widget=SELECT,
        help_text=_("本院党组织或本市其他医院党委；系统外单位请填下一栏"),
    )  # fmt: skip
    partner_name = forms.CharField(
        label=_("系统外共建单位名称"), max_length=200, required=False, widget=TEXT
    )
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)
    ends_on = forms.DateField(label=_("约定期满（可不填）"), required=False, widget=DATE)
    content = forms.CharField(label=_("共建内容与目标"), required=False, widget=AREA)
    contact = forms.CharField(
        label=_("对方联系人及电话"), max_length=200, required=False, widget=TEXT
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_org"].queryset = partners
        self.fields["signed_on"].initial = timezone.localdate()


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("终止日期"), widget=DATE)
    reason = forms.CharField(label=_("终止原因"), max_length=200, widget=TEXT)

    def __init__(self, *args, dissolve: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        if dissolve:  # an alliance is dissolved, an agreement ended
            self.fields["ended_on"].label = _("解散日期")
            self.fields["reason"].label = _("解散原因")


class AllianceForm(forms.Form):
    name = forms.CharField(label=_("联盟名称"), max_length=200, widget=TEXT)
    founded_on = forms.DateField(label=_("成立日期"), widget=DATE)
    members = forms.ModelMultipleChoiceField(
        label=_("系统内成员单位"), queryset=None, required=False, widget=Picker
    )
    outside = forms.CharField(
        label=_("系统外成员单位（每行一个：名称，类别）"), required=False, widget=AREA,
        help_text=_("类别：社区、学校、医院、医联体成员单位、对口帮扶单位、企业、其他；不写为“其他”"),
    )  # fmt: skip
    charter = forms.CharField(label=_("联盟章程与工作机制"), required=False, widget=AREA)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = members
        self.fields["founded_on"].initial = timezone.localdate()

    def clean_outside(self) -> list[tuple[str, str]]:
        rows, bad = [], []
        for line in self.cleaned_data["outside"].splitlines():
            if not line.strip():
                continue
            name, _sep, label = line.replace(",", "，").partition("，")
            kind = KIND_BY_LABEL.get(label.strip(), "") if label.strip() else PartnerKind.OTHER
            if not kind:
                bad.append(line.strip())
            rows.append((name.strip()[:200], kind))
        if bad:
            raise forms.ValidationError(_("类别无法识别：%(lines)s") % {"lines": "；".join(bad)})
        return rows

    @staticmethod
    def outside_text(alliance) -> str:
        return "\n".join(
            f"{m.name}，{m.get_kind_display()}"
            for m in alliance.members.all()
            if not m.organization_id
        )
