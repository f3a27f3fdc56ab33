from django.urls import path

from projects.staff import pages, votes

urlpatterns = [
    path("projects/", pages.project_list, name="projects"),
    path("projects/new/", pages.project_new, name="project-new"),
    path("projects/<int:pk>/", pages.project_detail, name="project"),
    path("projects/<int:pk>/move/<slug:name>/", pages.project_move, name="project-move"),
    path("projects/votes/new/", votes.vote_new, name="project-vote-new"),
    path("projects/votes/<int:pk>/", votes.vote_detail, name="project-vote"),
    path("projects/votes/<int:pk>/count/", votes.vote_count, name="project-vote-count"),
    path("projects/votes/<int:pk>/cast/", votes.vote_cast, name="project-vote-cast"),
    path("projects/votes/<int:pk>/publish/", votes.vote_publish, name="project-vote-publish"),
    path("projects/votes/<int:pk>/correct/", votes.vote_correct, name="project-vote-correct"),
]
