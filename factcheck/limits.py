"""Request body limits answered with 413 and a sentence, before anything reads the body.

Each desk and reader endpoint has its own limit (``claims.views.limits.max_body``,
kept on the view as ``view.max_body``); every other view has
``DATA_UPLOAD_MAX_MEMORY_SIZE``. Django itself would read the body first (the CSRF
middleware does, for every POST) and answer a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``
with a bare 400 (``RequestDataTooBig``). This middleware sits above the CSRF middleware
and answers from the announced ``Content-Length``, so the body is not even read.

What slips past it (a body read before the view was resolved, too many fields or files)
reaches ``claims.views.limits.bad_request``, the ``handler400``, which answers 413 too.
"""

from django.conf import settings

from claims.error_answers import content_length, too_large


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        length = content_length(request)
        if not length:
            return None
        own = getattr(view_func, "max_body", None)
        limit = own.limit if own else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return too_large(request, length, limit, template=own.template if own else None)
        return None
