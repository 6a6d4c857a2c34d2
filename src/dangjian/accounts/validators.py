"""Password rules of 等保 2.0: three character classes, no reuse of the last five."""

import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = [r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]"]


class CharacterClassValidator:
    min_classes = 3

    def validate(self, password, user=None):
        found = sum(1 for pattern in _CLASSES if re.search(pattern, password))
        if found < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class PasswordHistoryValidator:
    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        recent = user.password_history.all()[: settings.PASSWORD_HISTORY_COUNT]
        if any(check_password(password, old.password) for old in recent):
            raise ValidationError(
                _("不能使用最近%(count)d次用过的密码。")
                % {"count": settings.PASSWORD_HISTORY_COUNT},
                code="password_reused",
            )

    def get_help_text(self):
        return _("不能使用最近%(count)d次用过的密码。") % {"count": settings.PASSWORD_HISTORY_COUNT}


class MinimumLengthValidator:
    """Django's own message for this is not translated into Chinese, so ours says it."""

    min_length = 8

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码太短，至少需要%(min_length)d个字符。") % {"min_length": self.min_length},
                code="password_too_short",
            )

    def get_help_text(self):
        return _("密码至少需要%(min_length)d个字符。") % {"min_length": self.min_length}
