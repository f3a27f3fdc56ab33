"""The work area's pages under /staff/ (included by liaison/wiring/staff/urls.py)."""

from django.urls import path

from workarea import views_files, views_messages, views_pickers, views_search

urlpatterns = [
    path("messages/", views_messages.message_list, name="messages"),
    path("messages/<int:pk>/", views_messages.message_open, name="message-open"),
    path("messages/read-all/", views_messages.messages_read_all, name="messages-read-all"),
    path("messages/digest/", views_messages.digest_set, name="messages-digest"),
    path("search/", views_search.search_page, name="search"),
    path("files/<slug:token>/", views_files.attachment_file, name="attachment-file"),
    path(
        "attach/<slug:subject_type>/<int:subject_id>/",
        views_files.attachment_upload,
        name="attachment-upload",
    ),
    path("visits/<int:pk>/files/", views_files.visit_files, name="visit-attachments"),
    *(
        path(f"pick/{kind}/", views_pickers.pick, {"kind": kind}, name=f"pick-{kind}")
        for kind in views_pickers.SEARCHES
    ),
]
