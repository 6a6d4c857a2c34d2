"""Page input for announcements and channels; the services validate the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.core.forms import MultipleFileField, Picker
from dangjian.people.models import Person

from .rules import GROUP_CHANNELS, AnnouncementKind, Audience, Channel

TEXT = forms.TextInput(attrs={"class": "form-control"})
SELECT = forms.Select(attrs={"class": "form-select"})
CHECK = forms.CheckboxInput(attrs={"class": "form-check-input"})


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=AnnouncementKind.choices, widget=SELECT)
    title = forms.CharField(label=_("标题"), max_length=200, widget=TEXT)
    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 8})
    )
    audience = forms.ChoiceField(label=_("发送对象"), choices=Audience.choices, widget=SELECT)
    people = forms.ModelMultipleChoiceField(
        label=_("指定人员（发送对象为“指定人员”时选择）"), queryset=Person.objects.none(),
        required=False, widget=Picker,
    )  # fmt: skip
    pinned = forms.BooleanField(label=_("置顶"), required=False, widget=CHECK)
    files = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda p: f"{p.name}（{p.organization.name}）"


class PreferenceForm(forms.Form):
    email_address = forms.EmailField(
        label=_("电子邮箱"), required=False,
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )  # fmt: skip
    email = forms.BooleanField(label=_("用电子邮件接收"), required=False, widget=CHECK)
    wecom = forms.BooleanField(
        label=_("在企业微信工作群中提醒我"), required=False, widget=CHECK,
        help_text=_("支部或医院设置了企业微信群机器人时，会议和通知会发到群里并 @ 您"),
    )  # fmt: skip
    wecom_userid = forms.CharField(label=_("企业微信账号"), required=False, widget=TEXT)
    dingtalk = forms.BooleanField(
        label=_("在钉钉工作群中提醒我"), required=False, widget=CHECK,
        help_text=_("个人事项（党费、考试成绩等）只发站内信和电子邮件，不发到群里"),
    )  # fmt: skip
    dingtalk_userid = forms.CharField(label=_("钉钉账号"), required=False, widget=TEXT)


class WebhookForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("平台"), widget=SELECT,
        choices=[(c, Channel(c).label) for c in GROUP_CHANNELS],
    )  # fmt: skip
    name = forms.CharField(label=_("群名称"), max_length=100, widget=TEXT)
    url = forms.CharField(
        label=_("机器人地址（Webhook）"), widget=TEXT,
        help_text=_("在群设置中添加“群机器人”后复制其 Webhook 地址"),
    )  # fmt: skip
    secret = forms.CharField(
        label=_("加签密钥（钉钉，可选）"), required=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=_("修改时留空表示不变"),
    )  # fmt: skip
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True, widget=CHECK)
