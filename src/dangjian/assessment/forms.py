from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.notices.rules import Audience


class PublishForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput)
    audience = forms.ChoiceField(
        label=_("发送对象"),
        choices=[(a.value, a.label) for a in (Audience.OFFICERS, Audience.MEMBERS)],
        initial=Audience.OFFICERS,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    edited = forms.FileField(
        label=_("修改后的通报（.docx，可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".docx"}),
        help_text=_("先下载 Word 文档修改措辞，再上传；不上传则发送系统生成的通报。"),
    )
