from django.urls import path

from suggestions.proposals.staff import figures, pages

urlpatterns = [
    path("suggestions/", pages.suggestion_list, name="suggestion-list"),
    path("suggestions/mine/", pages.mine, name="suggestion-mine"),
    path("suggestions/new/", pages.file, name="suggestion-file"),
    path("suggestions/inbox/", pages.inbox, name="suggestion-inbox"),
    path("suggestions/unit/", pages.unit, name="suggestion-unit"),
    path("suggestions/reports/", figures.reports, name="suggestion-reports"),
    path("suggestions/ledger/", figures.ledger, name="suggestion-ledger"),
    path("suggestions/excellent/", figures.excellent, name="suggestion-excellent"),
    path("suggestions/<int:pk>/", pages.detail, name="suggestion-detail"),
    path("suggestions/<int:pk>/move/<slug:name>/", pages.move, name="suggestion-move"),
]
