"""Sources on the desk: the list of unreachable sources of published claims, and asking
the web archive for a copy of a source (docs/tasks.md, "Source checks and archived
copies"). The checks and the archive requests run as tasks (``claims.tasks.links``)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from claims import services
from claims.models import SourceCheck, WorkflowError
from claims.tasks import enqueue_on_commit
from claims.tasks.links import request_archive
from claims.views.access import desk_required, get_source_for_user
from claims.views.responses import error_response, refusal_status, safe_next


@require_safe
@desk_required
def unreachable_sources(request: HttpRequest) -> HttpResponse:
    """Sources of published claims flagged as unreachable, the most recent first."""
    checks = (
        SourceCheck.objects.unreachable()
        .select_related("source__claim")
        .annotate(first_article=Min("source__claim__mentions__revision__article"))
        .order_by("-unreachable_since", "pk")
    )
    page = Paginator(checks, 50).get_page(request.GET.get("page"))
    return render(request, "claims/desk/unreachable_sources.html", {"page": page})


@require_POST
@desk_required
def source_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the web archive for a copy of the source; the answer arrives in the background
    and is shown with the source."""
    source = get_source_for_user(request.user, pk)
    try:
        requested = services.source_archive_request(source=source, user=request.user)
    except WorkflowError as refusal:
        return error_response(request, refusal.message, refusal_status(refusal.code))
    if requested:
        enqueue_on_commit(request_archive, source.pk)
        messages.success(
            request,
            _(
                "An archived copy of “%(title)s” was requested; it appears with the source "
                "when the archive has saved it."
            )
            % {"title": source.title},
        )
    else:
        messages.info(
            request,
            _("An archived copy of “%(title)s” is already requested; it is on its way.")
            % {"title": source.title},
        )
    fallback = reverse("claims:desk-claim-review", args=[source.claim_id])
    return redirect(safe_next(request, request.POST.get("next")) or fallback)
