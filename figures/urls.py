from django.urls import path

from figures import ledger_views, views

urlpatterns = [
    path("figures/", views.dashboard, name="figures"),
    path("figures/mine/", views.representative_mine, name="figures-mine"),
    path(
        "figures/representatives/<int:pk>/",
        views.representative_dashboard,
        name="figures-representative",
    ),
    path("figures/ledgers/<slug:kind>/", ledger_views.ledger, name="figures-ledger"),
    path("figures/exports/<int:pk>/", ledger_views.export_page, name="figures-export"),
    path(
        "figures/exports/<int:pk>/file/",
        ledger_views.export_download,
        name="figures-export-download",
    ),
    path("figures/bulletin/", views.bulletin_page, name="figures-bulletin"),
    path("figures/bulletin.docx", views.bulletin_docx, name="figures-bulletin-docx"),
]
