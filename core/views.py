from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pagination import paginate

from .history import audited_model, changes, masks_for, may_read, may_restore, owner_of


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def record_history(request, label, pk):
    """The audit trail of one record (also of a deleted one): who changed what, when and from where;
    sensitive fields masked for those who may not read them on the record's page."""
    model = audited_model(label)
    if model is None:
        raise Http404
    records = model.history.filter(id=pk).select_related("history_user").order_by("-history_date", "-history_id")
    latest = records.first()
    if latest is None:
        raise Http404
    if not may_read(request.user, owner_of(latest)):
        raise Http404
    return render(
        request,
        "core/history.html",
        {
            "label": label,
            "verbose_name": model._meta.verbose_name,
            "pk": pk,
            "entries": changes(records[:200], masks=masks_for(request.user, latest)),
            "latest": latest,
            "exists": model.objects.filter(pk=pk).exists(),
            "can_restore": may_restore(request.user),
        },
    )


def deleted_records(request):
    """Recently deleted records of every audited model, for whoever may restore them (administrators)."""
    if not may_restore(request.user):
        raise PermissionDenied
    from simple_history.models import registered_models

    label = request.GET.get("model", "")
    models = sorted(registered_models.values(), key=lambda m: m._meta.label)
    chosen = next((m for m in models if m._meta.label_lower == label), None) or models[0]
    deleted = chosen.history.filter(history_type="-").select_related("history_user").order_by("-history_date")
    return render(
        request,
        "core/deleted_records.html",
        {
            "choices": [(m._meta.label_lower, m._meta.verbose_name_plural) for m in models],
            "chosen": chosen._meta.label_lower,
            "page_obj": paginate(request, deleted),
        },
    )


@require_POST
@transaction.atomic
def restore_record(request, label, history_id):
    if not may_restore(request.user):
        raise PermissionDenied
    model = audited_model(label)
    if model is None:
        raise Http404
    record = get_object_or_404(model.history, history_id=history_id, history_type="-")
    if model.objects.filter(pk=record.id).exists():
        messages.info(request, _("This record exists already; nothing to restore."))
    else:
        try:
            with transaction.atomic():
                record.instance.save()
                if hasattr(record.instance, "after_restore"):  # e.g. a row of stored totals: recount them
                    record.instance.after_restore()
        except IntegrityError:
            messages.error(request, _("The record cannot be restored: something it refers to no longer exists."))
            return redirect("core:history", label=label, pk=record.id)
        messages.success(request, _("Record restored."))
    return redirect("core:history", label=label, pk=record.id)
