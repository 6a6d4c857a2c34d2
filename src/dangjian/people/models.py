from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.crypto import EncryptedTextField
from dangjian.core.masking import mask_id_number, mask_phone


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Employment(models.TextChoices):
    IN_SERVICE = "in_service", _("在职")
    RETIRED = "retired", _("离退休")


class TalentCategory(models.TextChoices):
    NONE = "", _("无")
    MEDICAL_EXPERT = "medical_expert", _("医疗专家")
    DISCIPLINE_LEADER = "discipline_leader", _("学科带头人")
    YOUNG_TALENT = "young_talent", _("优秀青年医务人员")
    BACKBONE = "backbone", _("业务骨干")


class Status(models.TextChoices):
    """政治面貌 along the development pipeline; `masses` is the absence of any row."""

    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    LEFT = "left", _("已出党")
    SUSPENDED = "suspended", _("停止党籍")
    DECEASED = "deceased", _("已去世")


class StandingChange(models.TextChoices):
    """A change of Party standing (党籍) recorded by the office (people.standing)."""

    LAPSED = "lapsed", _("自行脱党")
    STRUCK_OFF = "struck_off", _("除名")
    EXPELLED = "expelled", _("开除党籍")
    WITHDREW = "withdrew", _("退党")
    SUSPENDED = "suspended", _("停止党籍")
    RESTORED = "restored", _("恢复党籍")
    DIED = "died", _("去世")
    REVOKED = "revoked", _("撤销误录")


MASSES_LABEL = _("群众")
MEMBER_STATUSES = (Status.PROBATIONARY, Status.FULL)
# Standings recorded as 党籍 changes (people.standing), outside the development pipeline.
STANDING_STATUSES = (Status.LEFT, Status.SUSPENDED, Status.DECEASED)


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_people(self)


class Person(models.Model):
    """Anyone on a hospital's staff, member or not (职工)."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = EncryptedTextField(_("身份证号"))
    id_digest = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField(_("手机号"), blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("所在组织"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("科室"),
    )
    admin_title = models.CharField(_("行政职务"), max_length=100, blank=True)
    is_department_head = models.BooleanField(_("是否科室负责人"), default=False)
    professional_title = models.CharField(_("职称"), max_length=100, blank=True)
    talent_category = models.CharField(
        _("人才类别"), max_length=32, choices=TalentCategory.choices, blank=True, default=""
    )
    employment = models.CharField(
        _("人员类别"), max_length=16, choices=Employment.choices, default=Employment.IN_SERVICE
    )
    is_mobile = models.BooleanField(_("流动党员"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("登录账号"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organization", "name"])]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class StatusPeriod(models.Model):
    """A period during which a person held one political status. Rows are appended as the
    person moves along; the open row (`ended_on` empty) is the current status."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("政治面貌"), max_length=16, choices=Status.choices)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # The 党籍 change that began this period ("" for the development pipeline and imports).
    change = models.CharField(
        _("党籍变动"), max_length=16, choices=StandingChange.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["person", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="status_one_open_period",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "started_on"]),
            models.Index(fields=["person", "ended_on"]),
        ]
        verbose_name = _("政治面貌记录")
        verbose_name_plural = _("政治面貌记录")


class MembershipReason(models.TextChoices):
    IMPORT = "import", _("名册导入")
    TRANSFER_IN = "transfer_in", _("转入")
    TRANSFER_OUT = "transfer_out", _("转出")
    RESTRUCTURE = "restructure", _("组织调整")
    MOVE = "move", _("内部调动")
    STANDING = "standing", _("党籍变动")
    ENTRY = "entry", _("新增登记")
    CORRECTION = "correction", _("更正误录")


class Membership(models.Model):
    """组织关系: the organisation a person belongs to over a period. Restructuring and
    transfers close one row and open the next, so history is kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="memberships"
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    start_reason = models.CharField(
        _("原因"), max_length=16, choices=MembershipReason.choices, default=MembershipReason.IMPORT
    )
    end_reason = models.CharField(
        _("结束原因"), max_length=16, choices=MembershipReason.choices, blank=True
    )

    class Meta:
        ordering = ["person", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="membership_one_open_period",
            ),
        ]
        indexes = [models.Index(fields=["organization", "ended_on"])]
        verbose_name = _("组织关系")
        verbose_name_plural = _("组织关系")


class TransferDirection(models.TextChoices):
    IN = "in", _("转入")
    OUT = "out", _("转出")
    WITHIN = "within", _("系统内转接")


class TransferState(models.TextChoices):
    """Within the system: pending → accepted, returned (by the receiving office) or
    withdrawn (by the sending one). Out of it: issued (the 介绍信) → receipted (its 回执
    came back) or voided. Into it: registered."""

    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    RETURNED = "returned", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")
    ISSUED = "issued", _("已开具介绍信")
    RECEIPTED = "receipted", _("已收回执")
    VOIDED = "voided", _("已作废")
    REGISTERED = "registered", _("已转入")


class Transfer(models.Model):
    """组织关系转接 (people.transfers): within the system from `organization` to
    `to_organization`; out of it from `organization` to `other_organization` with a
    numbered 介绍信; into it, to `organization` from `other_organization`, with the
    letter's number."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(_("方向"), max_length=8, choices=TransferDirection.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("本系统组织"),
    )
    other_organization = models.CharField(_("对方组织"), max_length=200, blank=True)
    transferred_on = models.DateField(_("转接日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    to_organization = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("接收组织"),
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=TransferState.choices, default=TransferState.REGISTERED
    )
    letter_number = models.CharField(_("介绍信编号"), max_length=50, blank=True)
    valid_until = models.DateField(_("介绍信有效期至"), null=True, blank=True)
    dues_paid_to = models.DateField(_("党费交至"), null=True, blank=True)
    receipt_on = models.DateField(_("回执日期"), null=True, blank=True)
    decided_on = models.DateField(_("办理日期"), null=True, blank=True)
    decision_note = models.CharField(_("退回或撤回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["-transferred_on", "-id"]
        constraints = [
            # At most one transfer of a person waits for the other side at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state="pending"),
                name="transfer_one_pending",
            ),
        ]
        indexes = [models.Index(fields=["state", "to_organization"])]
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")


class MobileDirection(models.TextChoices):
    OUT = "out", _("流出")
    IN = "in", _("流入")


class MobileRegistration(models.Model):
    """流动党员登记: a member who takes part in Party life elsewhere for a while (流出: away
    from their own organisation; 流入: a member of another organisation taking part
    here), with the number of their 流动党员活动证. `Person.is_mobile` is true while one
    is open (people.mobile keeps both)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mobile_periods")
    direction = models.CharField(_("流动方向"), max_length=4, choices=MobileDirection.choices)
    certificate_number = models.CharField(_("流动党员活动证编号"), max_length=50, blank=True)
    place = models.CharField(_("外出地点或参加活动的党组织"), max_length=200)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["person", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="mobile_one_open_registration",
            ),
        ]
        verbose_name = _("流动党员登记")
        verbose_name_plural = _("流动党员登记")
