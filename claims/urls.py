from django.contrib.auth import views as auth_views
from django.urls import path

from claims.feeds import ClaimsFeed, CorrectionsFeed
from claims.views import annotate, desk, public

app_name = "claims"

urlpatterns = [
    # Public site
    path("", public.home, name="home"),
    path("articles/", public.article_list, name="articles"),
    path("articles/<slug:slug>/", public.article_detail, name="article"),
    path("corrections/", public.correction_list, name="corrections"),
    path("methodology/", public.methodology, name="methodology"),
    path("corrections-policy/", public.corrections_policy, name="corrections-policy"),
    path("claims/", public.claim_list, name="claims"),
    path("claims/<slug:slug>/", public.claim_detail, name="claim"),
    path("feeds/claims.atom", ClaimsFeed(), name="feed-claims"),
    path("feeds/corrections.atom", CorrectionsFeed(), name="feed-corrections"),
    # Editor desk
    path("desk/", desk.home, name="desk"),
    path(
        "desk/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("desk/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk/articles/new/", desk.article_create, name="desk-article-new"),
    path("desk/articles/<int:pk>/", desk.workspace, name="desk-article"),
    path("desk/articles/<int:pk>/claims/<int:claim_pk>/", desk.claim_panel, name="desk-claim"),
    path("desk/articles/<int:pk>/mark/", annotate.mark_claim, name="desk-mark"),
    path("desk/articles/<int:pk>/link/", annotate.link_claim, name="desk-link"),
    path(
        "desk/mentions/<int:mention_pk>/adjust/",
        annotate.adjust_mention,
        name="desk-mention-adjust",
    ),
    path(
        "desk/mentions/<int:mention_pk>/delete/",
        annotate.delete_mention,
        name="desk-mention-delete",
    ),
    path("desk/claims/search/", desk.claim_search, name="desk-claim-search"),
    path("desk/preview/", desk.explanation_preview, name="desk-preview"),
]
