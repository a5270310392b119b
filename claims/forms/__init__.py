"""Forms by audience: ``desk`` (editors and reviewers), ``public`` (readers: search, tips,
error reports) and ``layout`` (crispy layout objects and the error summary they share).
The account pages' forms are in ``claims.account_forms``; the admin's action forms in
``claims.admin``."""
