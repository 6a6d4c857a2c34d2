from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet


class OrgKind(models.TextChoices):
    GUIDANCE_COMMITTEE = "guidance_committee", _("指导委员会")
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GROUP = "group", _("党小组")


# Organisations a member's relation may sit in (a group, 党小组, is inside a branch).
HOLDS_MEMBERS = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE)


class DepartmentCategory(models.TextChoices):
    CLINICAL = "clinical", _("临床")
    MEDICAL_TECHNICAL = "medical_technical", _("医技")
    NURSING = "nursing", _("护理")
    ADMINISTRATIVE = "administrative", _("行政")
    LOGISTICS = "logistics", _("后勤")


CLINICAL_CATEGORIES = (DepartmentCategory.CLINICAL, DepartmentCategory.MEDICAL_TECHNICAL)


class OrganizationQuerySet(MP_NodeQuerySet):
    def within(self, path: str):
        """The subtree rooted at the organisation with this materialised path."""
        return self.filter(path__startswith=path)

    def visible_to(self, user):
        from dangjian.accounts.scope import scope_for

        return scope_for(user).filter_orgs(self)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        # treebeard's manager builds its own queryset class; keep ours (visible_to, within).
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """One Party organisation at any level; the tree is a materialised path (treebeard)."""

    steplen = 4
    node_order_by = ["code"]

    code = models.CharField(_("组织编码"), max_length=50, unique=True)
    name = models.CharField(_("组织名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=32, choices=OrgKind.choices, db_index=True)
    is_temporary = models.BooleanField(_("是否临时"), default=False)
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
        verbose_name=_("对应科室"),
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    # A temporary branch (临时党支部) is set up for a project or task and ends with it.
    planned_end_on = models.DateField(_("计划结束日期"), null=True, blank=True)
    # RULES.md §3: hospital branches generally serve 3 years (configurable per organisation).
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=3)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")

    def __str__(self) -> str:
        return self.name

    @property
    def hospital_path(self) -> str:
        """Path prefix of the hospital committee (or the node itself above hospitals)."""
        return self.path[: 2 * self.steplen] if self.depth >= 2 else self.path


class OrganizationName(models.Model):
    """A name an organisation used until a rename (曾用名): appended, never rewritten."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(_("曾用名"), max_length=200)
    used_until = models.DateField(_("使用至"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "-used_until", "-id"]
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")


class SuccessionKind(models.TextChoices):
    SPLIT = "split", _("拆分")
    MERGE = "merge", _("合并")


class Succession(models.Model):
    """沿革: an organisation carried on by another from a day (a split's new branches, a
    merge's target), so both pages can say where the members went and came from."""

    predecessor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="predecessions"
    )
    kind = models.CharField(_("调整方式"), max_length=8, choices=SuccessionKind.choices)
    on = models.DateField(_("调整日期"))

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            )
        ]
        verbose_name = _("组织沿革")
        verbose_name_plural = _("组织沿革")


class Department(models.Model):
    """A hospital department (科室); branches are built on departments."""

    hospital = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=_("医院党委"),
    )
    name = models.CharField(_("科室"), max_length=100)
    category = models.CharField(
        _("科室类别"), max_length=32, choices=DepartmentCategory.choices, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="department_unique_name")
        ]
        ordering = ["name"]
        verbose_name = _("科室")
        verbose_name_plural = _("科室")

    def __str__(self) -> str:
        return self.name

    @property
    def is_clinical(self) -> bool:
        return self.category in CLINICAL_CATEGORIES


class JointDepartment(models.Model):
    """A department a joint branch (联合党支部) covers, from a day until a day: a branch
    with two to five of them open is a joint branch (RULES.md §3)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="joint_departments"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="joint_branches", verbose_name=_("科室")
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "department__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "department"],
                condition=models.Q(ended_on__isnull=True),
                name="joint_department_one_open_link",
            )
        ]
        verbose_name = _("联合支部科室")
        verbose_name_plural = _("联合支部科室")


class StandingTerms(models.Manager):
    """Terms in force: a term opened by an election revoked as recorded in error is kept,
    voided, and left out everywhere (`CommitteeTerm.with_voided` reads it)."""

    def get_queryset(self):
        return super().get_queryset().filter(voided=False)


class AllTerms(models.Manager):
    """Every term, voided ones included: the elections' history and the base manager."""


class CommitteeTerm(models.Model):
    """A committee's term of office; the re-election (换届) is due on `ends_on`."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="terms", verbose_name=_("党组织")
    )
    started_on = models.DateField(_("本届开始日期"))
    ends_on = models.DateField(_("届满日期"))
    # An approved extension (延期换届) moves the re-election, at most one year (RULES.md §3).
    extended_to = models.DateField(_("延期至"), null=True, blank=True)
    extension_approval = models.CharField(
        _("延期批准文件"), max_length=200, blank=True, default="", db_default=""
    )
    voided = models.BooleanField(_("已撤销"), default=False)

    objects = StandingTerms()
    with_voided = AllTerms()

    class Meta:
        ordering = ["-started_on"]
        base_manager_name = "with_voided"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "started_on"],
                condition=models.Q(voided=False),
                name="term_unique_standing_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("started_on")), name="term_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(extended_to__isnull=True)
                | models.Q(extended_to__gt=models.F("ends_on")),
                name="term_extended_beyond_end",
            ),
        ]
        verbose_name = _("届次")
        verbose_name_plural = _("届次")

    @property
    def due_on(self):
        """The day the re-election is due: the term's end, or the approved extension."""
        return self.extended_to or self.ends_on


class CommitteePost(models.TextChoices):
    """党内职务. All but 党小组长 are committee posts (SPEC.md §4, `committee_missing`)."""

    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    MEMBER = "member", _("委员")  # a committee member without a named portfolio (党委委员)
    GROUP_LEADER = "group_leader", _("党小组长")


COMMITTEE_POSTS = [p for p in CommitteePost if p != CommitteePost.GROUP_LEADER]


class CommitteeSeat(models.Model):
    """A person holding a post in an organisation over a period (history is kept)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="seats", verbose_name=_("党组织")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="seats", verbose_name=_("人员")
    )
    post = models.CharField(_("党内职务"), max_length=32, choices=CommitteePost.choices)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                condition=models.Q(ended_on__isnull=True),
                name="seat_one_open_post_per_person_and_org",
            ),
        ]
        indexes = [models.Index(fields=["organization", "post", "ended_on"])]
        verbose_name = _("委员职务")
        verbose_name_plural = _("委员职务")


class Election(models.Model):
    """An election meeting (换届选举): the electors, the ballots and the term it opened.
    Its candidates, elected or not, are `ElectionCandidate` rows."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="elections", verbose_name=_("党组织")
    )
    term = models.OneToOneField(
        CommitteeTerm,
        on_delete=models.PROTECT,
        related_name="election",
        verbose_name=_("选出的届次"),
    )
    held_on = models.DateField(_("选举日期"))
    # An election recorded in error is revoked (撤销误录), never deleted (orgs.elections).
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True, default="")
    entitled = models.PositiveIntegerField(_("应到会有选举权的党员"))
    present = models.PositiveIntegerField(_("实到会有选举权的党员"))
    ballots_issued = models.PositiveIntegerField(_("发出选票"))
    ballots_returned = models.PositiveIntegerField(_("收回选票"))
    term_years = models.PositiveSmallIntegerField(_("任期（年）"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(present__lte=models.F("entitled")),
                name="election_present_within_entitled",
            ),
            models.CheckConstraint(
                condition=models.Q(ballots_returned__lte=models.F("ballots_issued")),
                name="election_returned_within_issued",
            ),
        ]
        verbose_name = _("换届选举")
        verbose_name_plural = _("换届选举")


class ElectionCandidate(models.Model):
    """One candidate of an election, for one post, with the votes for them."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("选举")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="candidacies",
        verbose_name=_("候选人"),
    )  # fmt: skip
    post = models.CharField(_("党内职务"), max_length=32, choices=CommitteePost.choices)
    votes_for = models.PositiveIntegerField(_("得票数"))
    elected = models.BooleanField(_("是否当选"))

    class Meta:
        ordering = ["election", "-elected", "-votes_for", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"], name="candidate_once_per_election"
            ),
        ]
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
