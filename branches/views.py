from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.forms import parse_pk

from .forms import ElectionForm, OfficerForm, OrganizationForm
from .models import Officer, Organization
from .permissions import access, can_edit, editable_organizations, get_for_user_or_404, viewable_organizations
from .services import organization_save, organization_tree


def _get_org(request, pk, *, edit=False) -> Organization:
    return get_for_user_or_404(
        request.user, Organization.objects.select_related("parent"), edit=edit, org_of=lambda o: o, pk=pk
    )


def organization_tree_view(request):
    if not access(request.user).has_any_access:
        raise PermissionDenied
    orgs = viewable_organizations(request.user).filter(is_active=True).annotate(people_count=Count("people"))
    return render(
        request,
        "branches/organization_tree.html",
        {
            "tree": organization_tree(orgs),
            "can_create": access(request.user).can_edit_anything,
        },
    )


def organization_detail(request, pk):
    org = _get_org(request, pk)
    current = Officer.objects.current().select_related("person", "user")
    org = (
        Organization.objects.select_related("parent")
        .prefetch_related(Prefetch("officers", queryset=current, to_attr="current_officers"), "elections")
        .get(pk=org.pk)
    )
    children = org.children.filter(is_active=True).annotate(people_count=Count("people"))
    return render(
        request,
        "branches/organization_detail.html",
        {
            "org": org,
            "children": children,
            "ancestors": org.ancestors(),
            "can_edit": can_edit(request.user, org),
        },
    )


def organization_create(request):
    parents = editable_organizations(request.user)
    parent = None
    if (parent_id := parse_pk(request.GET.get("parent"))) is not None:
        parent = get_object_or_404(parents, pk=parent_id)
    if not parents.exists():
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, parents=parents, initial={"parent": parent})
    if request.method == "POST" and form.is_valid():
        org = organization_save(form=form)
        messages.success(request, _("Organization “%(name)s” created.") % {"name": org.name})
        return redirect(org)
    return render(request, "branches/organization_form.html", {"form": form, "parent": parent})


def organization_edit(request, pk):
    org = _get_org(request, pk, edit=True)
    parents = editable_organizations(request.user).exclude(path__startswith=org.path)
    form = OrganizationForm(request.POST or None, instance=org, parents=parents)
    if org.parent_id is None:
        form.fields.pop("parent")
        form.fields.pop("kind")
    if request.method == "POST" and form.is_valid():
        organization_save(form=form)
        messages.success(request, _("Changes saved."))
        return redirect(org)
    return render(request, "branches/organization_form.html", {"form": form, "org": org})


def officer_create(request, pk):
    org = _get_org(request, pk, edit=True)
    form = OfficerForm(request.POST or None, organization=org, offer_unlinked=access(request.user).administers(org))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Officer added."))
        return redirect(org)
    return render(request, "branches/officer_form.html", {"form": form, "org": org})


def election_create(request, pk):
    org = _get_org(request, pk, edit=True)
    form = ElectionForm(request.POST or None)
    form.instance.organization = org
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Election recorded."))
        return redirect(org)
    return render(request, "branches/election_form.html", {"form": form, "org": org})
