"""Selection round pages: the rounds a user sees, opening one, and one round's page,
which shows what its stage needs: recommending (the units), closing, scoring and the
shortlist (the organiser), objections and approval during the 公示, the honours after.

Rounds start from `SelectionRound.objects.visible_to(user)` (404 otherwise: another
hospital's user never sees a hospital's round); a unit sees its own recommendations,
the organiser all of them, everyone the shortlist once published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dangjian.core.pages import audited_download, private, try_service
from dangjian.orgs.pages import chosen_org

from . import queries, rounds, rules
from .forms import (
    ROUND_CATEGORY_ROWS,
    ApproveForm,
    NominationForm,
    ObjectionForm,
    PanelForm,
    ReviewForm,
    RoundCategoryForm,
    RoundForm,
    ShortlistForm,
)
from .models import Honor, Nomination, NominationMaterial, Review, RoundState, SelectionRound
from .permissions import (
    is_recused,
    may_manage_round,
    may_record,
    on_panel,
    own_paths,
    panel_candidates,
    recommending_unit,
)
from .services import HonorError
from .views import candidates


@login_required
def round_list(request):
    org = chosen_org(request)
    rows = (
        SelectionRound.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(nominations=Count("categories__nominations"))
    )
    context = {"org": org, "rounds": rows, "can_open": may_record(request.user, org)}
    return private(render(request, "honors/rounds.html", context))


@login_required
def round_new(request):
    org = chosen_org(request)
    if not may_record(request.user, org):
        raise Http404(_("没有可发起评选的组织"))
    form = RoundForm(request.POST or None)
    rows = [
        RoundCategoryForm(request.POST or None, prefix=f"c{i}") for i in range(ROUND_CATEGORY_ROWS)
    ]

    created = []

    def run(data):
        chosen = [r.cleaned_data for r in rows if r.is_valid() and r.cleaned_data.get("quota")]
        categories = [(c["category"], c["title"], c["quota"]) for c in chosen]
        data = rounds.RoundInput(categories=categories, **data)
        created.append(rounds.open_round(org, data, by=request.user))

    if request.method == "POST" and all(r.is_valid() for r in rows):
        if try_service(form, run, HonorError):
            messages.success(request, _("评选已发起。"))
            return redirect("honors:round", pk=created[0].pk)
    context = {"org": org, "form": form, "rows": rows}
    return private(render(request, "honors/round_new.html", context))


def _nominations(request, round_, manages, unit, reviews):
    rows = Nomination.objects.filter(round_category__selection_round=round_)
    if not (manages or reviews):
        shown = Q(shortlisted=True) if round_.state != RoundState.OPEN else Q(pk__in=[])
        if unit is not None:
            shown |= Q(unit=unit)
        rows = rows.filter(shown)
    return (
        rows.select_related("round_category", "unit", "person__organization", "organization")
        .prefetch_related("materials", "objections")
        .annotate(
            average=Avg("reviews__score"),
            reviewed=Count("reviews"),
            mine=Count("reviews", filter=Q(reviews__reviewer=request.user)),
        )
        .order_by("round_category", "-shortlisted", "pk")
    )


def _forms(request, round_, unit, nominations, manages, reviews):
    """The forms this stage shows (to whom it concerns), bound to the POST when it is
    the one sent."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if action else None

    def bound(name, make):
        return make(data if action == name else None)

    forms = {}
    if round_.state == RoundState.OPEN and unit is not None:
        people, orgs = candidates(unit)
        forms["recommend"] = bound("recommend", lambda d: NominationForm(
            d, request.FILES if d else None, categories=round_.categories.all(),
            people=people, orgs=orgs,
        ))  # fmt: skip
    panel = {"candidates": panel_candidates(round_)}
    if round_.state == RoundState.OPEN and manages:
        forms["close"] = bound("close", lambda d: PanelForm(d, **panel))
    if round_.state == RoundState.REVIEWING and reviews:
        forms["review"] = bound("review", lambda d: ReviewForm(d))
    if round_.state == RoundState.REVIEWING and manages:
        forms["panel"] = bound("panel", lambda d: PanelForm(
            d, initial={"reviewers": list(round_.reviewers.all()),
                        "review_by": round_.review_by}, **panel,
        ))  # fmt: skip
        forms["shortlist"] = bound("shortlist", lambda d: ShortlistForm(d, nominations=nominations))
    if round_.state == RoundState.NOTICE and manages:
        forms["objection"] = bound("objection", lambda d: ObjectionForm(d))
        forms["approve"] = bound("approve", lambda d: ApproveForm(d))
    return action, forms


def _nomination(round_, request) -> Nomination:
    return get_object_or_404(
        Nomination.objects.filter(round_category__selection_round=round_),
        pk=request.POST.get("nomination") or 0,
    )


def _runner(request, round_, unit, action):
    by = request.user
    if action == "recommend":
        return lambda d: rounds.recommend(rounds.NominationInput(unit=unit, **d), by=by)
    if action == "close":
        return lambda d: rounds.close_recommendations(round_, d["reviewers"], d["review_by"], by=by)
    if action == "panel":
        return lambda d: rounds.change_panel(round_, d["reviewers"], d["review_by"], by=by)
    if action == "review":
        target = _nomination(round_, request)
        return lambda d: rounds.review(target, d["score"], d["comment"], by=by)
    if action == "shortlist":
        return lambda d: rounds.publish_shortlist(
            round_, list(d["chosen"]), d["notice_ends_on"], by=by
        )
    if action == "objection":
        target = _nomination(round_, request)
        return lambda d: rounds.record_objection(target, by=by, **d)
    if action == "approve":
        return lambda d: rounds.approve(round_, d["document_no"], by=by)
    raise Http404(_("未知的操作"))


def _panel(round_, nominations):
    """The panel's members with how many recommendations each has scored, of those they
    are to score (not the ones they are recused from)."""
    scored = dict(
        Review.objects.filter(nomination__round_category__selection_round=round_)
        .order_by()
        .values_list("reviewer")
        .annotate(Count("pk"))
    )
    members = round_.reviewers.select_related("organization").prefetch_related(
        "grants__organization"
    )
    organiser = round_.organization
    return [
        (user, scored.get(user.pk, 0),
         sum(1 for n in nominations if not is_recused(user, n, organiser)))
        for user in members.order_by("username")
    ]  # fmt: skip


@login_required
def round_detail(request, pk: int):
    round_ = get_object_or_404(
        SelectionRound.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    manages = may_manage_round(request.user, round_)
    reviews = on_panel(request.user, round_)
    unit = recommending_unit(request.user, round_)
    nominations = _nominations(request, round_, manages, unit, reviews)
    if reviews:  # the rows the reviewer is recused from show no score form
        mine = own_paths(request.user)
        for n in nominations:
            candidate = n.person.organization if n.person_id else n.organization
            n.recused = rules.recused(mine, round_.organization.path, candidate.path)
    action, forms = _forms(request, round_, unit, nominations, manages, reviews)
    if action:
        if action not in forms:  # each form is only there for those it concerns
            raise Http404(_("未知的操作"))
        if try_service(forms[action], _runner(request, round_, unit, action), HonorError):
            messages.success(request, _("已保存。"))
            return redirect("honors:round", pk=round_.pk)
    context = {
        "round": round_,
        "categories": round_.categories.annotate(
            shortlisted=Count("nominations", filter=Q(nominations__shortlisted=True))
        ),
        "nominations": nominations,
        "manages": manages,
        "acts": "review" in forms or "objection" in forms,
        "panel": _panel(round_, nominations),
        "history": queries.round_history(round_) if manages else [],
        "unit": unit,
        "forms": forms,
        "action": action,
        "honours": Honor.objects.filter(
            nomination__round_category__selection_round=round_
        ).select_related("person", "organization"),
    }
    return private(render(request, "honors/round.html", context))


@login_required
def material(request, pk: int):
    item = get_object_or_404(
        NominationMaterial.objects.select_related(
            "nomination__unit", "nomination__round_category__selection_round__organization"
        ),
        pk=pk,
    )
    round_ = item.nomination.round_category.selection_round
    visible = SelectionRound.objects.visible_to(request.user).filter(pk=round_.pk).exists()
    own = recommending_unit(request.user, round_) == item.nomination.unit
    allowed = may_manage_round(request.user, round_) or own or on_panel(request.user, round_)
    if not visible or not allowed:
        raise Http404(_("文件不存在"))
    return audited_download(
        request, item, action="honors.material_download", obj=item.nomination,
        org_path=item.nomination.unit.path, summary={"material": item.pk},
    )  # fmt: skip
