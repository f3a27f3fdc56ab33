from django.urls import path

from projects import public

urlpatterns = [
    path("", public.project_list, name="project-public-list"),
    path("<int:pk>/", public.project_detail, name="project-public-detail"),
    path("votes/<int:pk>/", public.vote_detail, name="project-public-vote"),
    path("propose/", public.topic_submit, name="project-public-submit"),
]
