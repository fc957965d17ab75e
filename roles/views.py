from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from compensation.selectors import bands_in_force
from hiring.permissions import can, requires
from roles import selectors
from roles.forms import RoleForm, TeamPlanForm
from roles.models import RoleProfile
from roles.services import EDITABLE_FIELDS, role_update
from roles.team_plan import Team, team_plan_warnings


@requires("playbook.view")
def role_list(request: HttpRequest) -> HttpResponse:
    return render(request, "roles/role_list.html", {"roles": selectors.role_list()})


@requires("playbook.view")
def role_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        role = selectors.role_detail(slug)
    except RoleProfile.DoesNotExist:
        raise Http404("No such role") from None
    show_bands = can(request.user, "compensation.view")
    bands = bands_in_force(role=slug) if show_bands else []
    context = {
        "role": role,
        "loop": list(role.loop.all()),
        "bands": bands,
        "show_bands": show_bands,
        "can_edit": can(request.user, "playbook.edit"),
    }
    return render(request, "roles/role_detail.html", context)


@requires("playbook.edit")
def role_edit(request: HttpRequest, slug: str) -> HttpResponse:
    role = RoleProfile.objects.filter(slug=slug).first()
    if role is None:
        raise Http404("No such role")
    form = RoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        _role, changed = role_update(slug=slug, fields=fields, actor=request.user)
        messages.success(request, "Role saved." if changed else "Nothing changed.")
        return redirect("roles:detail", slug=slug)
    return render(request, "roles/role_edit.html", {"role": role, "form": form})


@requires("team_plan.use")
def team_plan(request: HttpRequest) -> HttpResponse:
    roles = list(selectors.role_list())
    form = TeamPlanForm(request.POST or None, roles=roles)
    warnings = None
    if request.method == "POST" and form.is_valid():
        team = Team(
            current=form.counts("current"),
            planned=form.counts("planned"),
            models_in_production=form.cleaned_data["models_in_production"],
        )
        warnings = team_plan_warnings(team, selectors.team_rules())
    return render(request, "roles/team_plan.html", {"form": form, "warnings": warnings})
