"""The JSON API at /api/ (docs/api.md), built on django-ninja.

- ``main``: the ``NinjaAPI`` (version 1 under /api/v1/), its error answers and docs.
- ``public``: reads of everything readers may see, through the models' ``published()``
  querysets, like the public pages.
- ``problems``: RFC 9457 problem details in the request's language.
- ``paging``: cursor pagination, stable under inserts.
- ``schemas``: what each resource looks like (pydantic), so /api/openapi.json says it.

Floor 6, like the views: it calls the domain rules and services below it and nothing
imports it but the wiring (factcheck/urls.py).
"""
