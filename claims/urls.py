from django.urls import path

from claims.views import public

app_name = "claims"

urlpatterns = [
    path("", public.home, name="home"),
    path("articles/<slug:slug>/", public.article_detail, name="article"),
    path("claims/<slug:slug>/", public.claim_detail, name="claim"),
]
