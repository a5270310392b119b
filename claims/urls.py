from django.contrib.auth import views as auth_views
from django.urls import path

from claims.feeds import ClaimsFeed, CorrectionsFeed
from claims.views import (
    account,
    articles,
    desk,
    embed,
    exports,
    marking,
    public,
    reader_input,
    revisions,
    sources,
    suggestions,
    webhooks,
    workflow,
)
from claims.workflow_steps import STEPS

app_name = "claims"

urlpatterns = [
    # Public site
    path("", public.home, name="home"),
    path("articles/", public.article_list, name="articles"),
    path("articles/<slug:slug>/", public.article_detail, name="article"),
    path(
        "articles/<slug:slug>/revisions/<int:number>/",
        public.article_revision,
        name="article-revision",
    ),
    path("corrections/", public.correction_list, name="corrections"),
    path("methodology/", public.methodology, name="methodology"),
    path("corrections-policy/", public.corrections_policy, name="corrections-policy"),
    path("claims/", public.claim_list, name="claims"),
    path("claims/<slug:slug>/", public.claim_detail, name="claim"),
    # Pictures and embeds for other sites: share image, verdict card, oEmbed
    path(
        "claims/<slug:slug>/share-<slug:key>.png",
        embed.share_image,
        name="claim-share-image",
    ),
    path("claims/<slug:slug>/card/", embed.claim_card, name="claim-card"),
    path("oembed", embed.oembed, name="oembed"),
    # Reader input (never cached: forms with a CSRF token)
    path("tips/new/", reader_input.tip_new, name="tip-new"),
    path("tips/thanks/", reader_input.tip_thanks, name="tip-thanks"),
    path("claims/<slug:slug>/report/", reader_input.claim_report, name="claim-report"),
    path(
        "claims/<slug:slug>/report/thanks/",
        reader_input.claim_report_thanks,
        name="claim-report-thanks",
    ),
    path("feeds/claims.atom", ClaimsFeed(), name="feed-claims"),
    path("feeds/corrections.atom", CorrectionsFeed(), name="feed-corrections"),
    # Editor desk
    path("desk/", desk.home, name="desk"),
    path(
        "desk/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("desk/login/code/", account.login_code, name="login-code"),
    # Forgotten password: the link by email (Django's views in the desk's layout)
    path("desk/password-reset/", account.PasswordReset.as_view(), name="password-reset"),
    path(
        "desk/password-reset/sent/",
        account.PasswordResetDone.as_view(),
        name="password-reset-done",
    ),
    path(
        "desk/password-reset/<uidb64>/<token>/",
        account.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "desk/password-reset/done/",
        account.PasswordResetComplete.as_view(),
        name="password-reset-complete",
    ),
    path("desk/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The signed-in user's own account: password, second factor
    path("desk/account/", account.account, name="account"),
    path("desk/account/password/", account.PasswordChange.as_view(), name="account-password"),
    path("desk/account/email/", account.email_preferences, name="account-email"),
    path(
        "desk/account/two-factor/setup/",
        account.two_factor_setup,
        name="account-two-factor-setup",
    ),
    path(
        "desk/account/two-factor/recovery-codes/",
        account.recovery_codes,
        name="account-recovery-codes",
    ),
    path(
        "desk/account/two-factor/remove/",
        account.two_factor_remove,
        name="account-two-factor-remove",
    ),
    path("desk/account/tokens/", account.api_tokens, name="account-tokens"),
    path(
        "desk/account/tokens/<int:pk>/revoke/",
        account.api_token_revoke,
        name="account-token-revoke",
    ),
    path("desk/articles/new/", desk.article_create, name="desk-article-new"),
    path("desk/imports/<int:pk>/", desk.import_progress, name="desk-import"),
    path("desk/imports/<int:pk>/retry/", desk.import_retry, name="desk-import-retry"),
    path("desk/imports/<int:pk>/discard/", desk.import_discard, name="desk-import-discard"),
    path("desk/articles/<int:pk>/", desk.workspace, name="desk-article"),
    path("desk/articles/<int:pk>/edit/", articles.article_edit, name="desk-article-edit"),
    path("desk/articles/<int:pk>/publish/", articles.article_publish, name="desk-article-publish"),
    path(
        "desk/articles/<int:pk>/paragraph-role/",
        articles.paragraph_role,
        name="desk-paragraph-role",
    ),
    path(
        "desk/articles/<int:pk>/paragraph-roles/",
        articles.paragraph_roles,
        name="desk-paragraph-roles",
    ),
    path("desk/articles/<int:pk>/watch/", articles.article_watch, name="desk-article-watch"),
    path(
        "desk/articles/<int:pk>/unpublish/",
        articles.article_unpublish,
        name="desk-article-unpublish",
    ),
    path("desk/articles/<int:pk>/claims/<int:claim_pk>/", desk.claim_panel, name="desk-claim"),
    path("desk/articles/<int:pk>/mark/", marking.mark_claim, name="desk-mark"),
    path("desk/articles/<int:pk>/link/", marking.link_claim, name="desk-link"),
    path("desk/articles/<int:pk>/analysis/", suggestions.analysis_status, name="desk-analysis"),
    path(
        "desk/articles/<int:pk>/analysis/compare/",
        suggestions.analysis_compare,
        name="desk-analysis-compare",
    ),
    path(
        "desk/suggestions/<int:pk>/link/",
        suggestions.suggestion_link,
        name="desk-suggestion-link",
    ),
    path(
        "desk/suggestions/<int:pk>/dismiss/",
        suggestions.suggestion_dismiss,
        name="desk-suggestion-dismiss",
    ),
    path(
        "desk/mentions/<int:mention_pk>/adjust/",
        marking.adjust_mention,
        name="desk-mention-adjust",
    ),
    path(
        "desk/mentions/<int:mention_pk>/delete/",
        marking.delete_mention,
        name="desk-mention-delete",
    ),
    path("desk/articles/<int:pk>/revise/", revisions.revise, name="desk-article-revise"),
    path("desk/articles/<int:pk>/anchors/", revisions.anchors, name="desk-article-anchors"),
    path(
        "desk/articles/<int:pk>/revisions/",
        revisions.revision_list,
        name="desk-article-revisions",
    ),
    path(
        "desk/mentions/<int:mention_pk>/resolve/",
        revisions.resolve_mention,
        name="desk-mention-resolve",
    ),
    path("desk/claims/", desk.claim_list, name="desk-claims"),
    path("desk/claims/search/", desk.claim_search, name="desk-claim-search"),
    path("desk/claims/export/", exports.claims_export, name="desk-claims-export"),
    path("desk/preview/", desk.explanation_preview, name="desk-preview"),
    # Editorial workflow
    path("desk/review/", workflow.review_queue, name="desk-review-queue"),
    path("desk/claims/<int:pk>/", workflow.claim_review, name="desk-claim-review"),
    path("desk/claims/<int:pk>/history/", workflow.claim_history, name="desk-claim-history"),
    path("desk/claims/<int:pk>/correction/", workflow.correction_edit, name="desk-correction"),
    *[
        path(
            f"desk/claims/<int:pk>/{step.slug}/",
            workflow.transition,
            {"step": step},  # the view gets the Step itself
            name=f"desk-claim-{step.slug}",
        )
        for step in STEPS.values()
    ],
    path(
        "desk/mentions/<int:mention_pk>/approve/",
        workflow.appearance_decision,
        {"decision": "approve"},
        name="desk-mention-approve",
    ),
    path(
        "desk/mentions/<int:mention_pk>/reject/",
        workflow.appearance_decision,
        {"decision": "reject"},
        name="desk-mention-reject",
    ),
    path("desk/notifications/", workflow.notifications, name="desk-notifications"),
    path(
        "desk/sources/unreachable/", sources.unreachable_sources, name="desk-sources-unreachable"
    ),
    path("desk/sources/<int:pk>/archive/", sources.source_archive, name="desk-source-archive"),
    # Webhooks for the newsroom's systems (docs/api.md, "Webhooks")
    path("desk/webhooks/", webhooks.webhook_list, name="desk-webhooks"),
    path("desk/webhooks/<int:pk>/", webhooks.webhook_detail, name="desk-webhook"),
    path("desk/webhooks/<int:pk>/ping/", webhooks.webhook_ping, name="desk-webhook-ping"),
    path("desk/webhooks/<int:pk>/active/", webhooks.webhook_active, name="desk-webhook-active"),
    path("desk/webhooks/<int:pk>/rotate/", webhooks.webhook_rotate, name="desk-webhook-rotate"),
    path("desk/webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="desk-webhook-delete"),
    path("desk/webhooks/<int:pk>/replay/", webhooks.webhook_replay, name="desk-webhook-replay"),
]
