"""The desk's exports of claims (CSV, JSON Lines): the page with the filters, and the
streamed file. What the columns are and how the files are written: ``claims.exports``.

Drafts are desk data: only users who may use the desk export (``desk_required``). Each
export is logged on ``claims.exports`` with who asked, the filters and the format, never
a claim's content.
"""

import logging

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from claims import exports
from claims.forms.desk import ExportForm
from claims.views.access import desk_required

logger = logging.getLogger("claims.exports")
PAGE = "claims/desk/claims_export.html"


@require_safe
@desk_required
def claims_export(request: HttpRequest) -> HttpResponse:
    """GET without ``format``: the filters, how many claims match, and the two buttons.
    With ``format=csv`` or ``format=jsonl``: the file, streamed. A wrong filter or format:
    the page again with the errors in words, 400."""
    if not request.GET:
        return _page(request, ExportForm())
    form = ExportForm(request.GET)
    valid = form.is_valid()
    wanted = request.GET.get("format")
    if wanted is not None and wanted not in exports.FORMATS:
        form.add_error(None, _("Choose CSV or JSON Lines as the export's format."))
        valid = False
    if not valid:
        return _page(request, form, status=400)
    filters = form.filters()
    if wanted is None:
        return _page(request, form, filters=filters)
    return _file(request, filters, wanted)


def _page(request, form, *, status=200, filters=None) -> HttpResponse:
    context = {"form": form, "matching": None}
    if filters is not None:
        context["matching"] = exports.matching_count(filters)
    return render(request, PAGE, context, status=status)


def _file(request, filters: exports.ClaimFilters, wanted: str) -> StreamingHttpResponse:
    rows, content_type, extension = exports.FORMATS[wanted]
    logger.info(
        "export of claims by user %s (%s): format %s, filters %s",
        request.user.pk,
        request.user.get_username(),
        wanted,
        filters.as_log() or "none",
    )
    language = translation.get_language()
    claims = exports.export_queryset(filters)

    def stream():
        # The body is written after the view returned: keep the request's language for
        # the titles and labels.
        with translation.override(language):
            yield from rows(claims, request, chunk_size=exports.CHUNK_SIZE)

    response = StreamingHttpResponse(stream(), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(filters, extension)}"'
    )
    # Drafts are desk data: no shared cache keeps a copy.
    patch_cache_control(response, private=True, no_store=True)
    return response
