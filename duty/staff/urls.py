from django.urls import path

from duty.staff import activities, contacts, groups, record, reports

urlpatterns = [
    path("duty/", record.duty_home, name="duty"),
    path("duty/mine/", record.record_mine, name="duty-mine"),
    path("duty/quotas/", record.quota_table, name="duty-quotas"),
    path("duty/representatives/<int:pk>/", record.record_detail, name="duty-record"),
    path("duty/station-days/<int:pk>/", record.attendance_set, name="duty-attendance"),
    path("duty/availability/", record.availability, name="duty-availability"),
    path(
        "duty/availability/<int:pk>/remove/",
        record.availability_remove,
        name="duty-availability-remove",
    ),
    path("duty/activities/", activities.activity_list, name="duty-activities"),
    path("duty/activities/new/", activities.activity_new, name="duty-activity-new"),
    path("duty/activities/<int:pk>/", activities.activity_detail, name="duty-activity"),
    path("duty/activities/<int:pk>/edit/", activities.activity_edit, name="duty-activity-edit"),
    path(
        "duty/activities/<int:pk>/move/<slug:name>/",
        activities.activity_move,
        name="duty-activity-move",
    ),
    path(
        "duty/activities/<int:pk>/files/", activities.activity_file_add, name="duty-activity-files"
    ),
    path(
        "duty/activities/<int:pk>/files/<int:file_id>/",
        activities.activity_file,
        name="duty-activity-file",
    ),
    path("duty/contacts/", contacts.contact_list, name="duty-contacts"),
    path("duty/contacts/<int:pk>/", contacts.contact_detail, name="duty-contact"),
    path("duty/reports/draft/", reports.report_draft, name="duty-report-draft"),
    path("duty/reports/<int:pk>/", reports.report_detail, name="duty-report"),
    path("duty/reports/<int:pk>/word/", reports.report_docx, name="duty-report-docx"),
    path("duty/reports/<int:pk>/print/", reports.report_print, name="duty-report-print"),
    path("duty/reports/<int:pk>/<slug:action>/", reports.report_action, name="duty-report-action"),
    path("duty/groups/", groups.group_list, name="duty-groups"),
    path("duty/groups/new/", groups.group_edit, name="duty-group-new"),
    path("duty/groups/<int:pk>/", groups.group_edit, name="duty-group"),
]
