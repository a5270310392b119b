"""Loading a web page as an article in the background (``claims.models.ArticleImport``).

The editor waits for it, so it runs before the periodic jobs. The address goes through
the same fetch as ever (``claims.importing.fetch``: the SSRF guard, the limits and the
sentences of its errors); a page that cannot be fetched or holds no article is an
expected failure, recorded on the import for the editor to read, and the task returns.
"""

from django.utils import translation
from django.utils.translation import gettext

from claims.importing.errors import ArticleImportError
from claims.importing.fetch import article_from_page, fetch
from claims.models import ArticleImport
from claims.models.watch import text_digest
from claims.tasks.base import PRIORITY_INTERACTIVE, background_task, enqueue_on_commit
from claims.text.blocks import marked_text

Status = ArticleImport.Status


def _gave_up(import_pk: int) -> None:
    """The task failed unexpectedly, twice: the editor learns it instead of waiting."""
    job = ArticleImport.objects.filter(pk=import_pk).first()
    if job is not None:
        with translation.override(job.message_language):
            job.move_to(
                Status.FAILED,
                error=gettext(
                    "The page could not be loaded because of an error on our side. Please try "
                    "again; if it happens again, tell your administrator (the error is listed "
                    "under Background tasks in the admin)."
                ),
            )


# One retry only: an editor is waiting, and a second unexpected error is worth saying.
@background_task(priority=PRIORITY_INTERACTIVE, retries=1, on_give_up=_gave_up)
def import_article(import_pk: int) -> dict:
    """Fetch and extract the page of one import. An import that is finished (or was
    discarded) is left alone, so running the task twice fetches nothing twice."""
    job = ArticleImport.objects.filter(pk=import_pk).first()
    if job is None or not job.is_pending:
        return {"import": import_pk, "skipped": job.status if job else "discarded"}
    with translation.override(job.message_language):
        job.move_to(Status.FETCHING)
        try:
            page = fetch(job.url)
            if not job.move_to(Status.EXTRACTING):
                return {"import": import_pk, "skipped": "discarded"}
            imported = article_from_page(page)
        except ArticleImportError as error:
            job.move_to(Status.FAILED, error=str(error))
            return {"import": import_pk, "status": Status.FAILED, "code": error.code}
    job.move_to(
        Status.READY,
        title=imported.title[:300],
        byline=imported.byline[:300],
        site_name=imported.site_name[:200],
        published_on=imported.published_on,
        language=imported.language[:35],
        final_url=imported.url,
        text=marked_text(imported.text, imported.blocks),
        notices=list(imported.notices),
        source_digest=text_digest(imported.text),
    )
    return {"import": import_pk, "status": Status.READY}


def start_import(*, user, url: str, given: dict, message_language: str) -> ArticleImport:
    """Start loading ``url`` as an article for ``user`` (the desk's form, the API): the
    import row now, its task once the transaction commits. ``given``: the metadata the
    user typed, which wins over the page's."""
    job = ArticleImport.objects.create(
        requested_by=user,
        url=url.strip(),
        message_language=message_language,
        given={name: value for name, value in given.items() if value},
    )
    enqueue_on_commit(import_article, job.pk)
    return job
