from django.urls import path

from suggestions.cases.staff import cases, documents, loop, privacy, roles, visits

urlpatterns = [
    path("reception/", visits.console, name="reception-console"),
    path("reception/lookup/", visits.phone_lookup, name="phone-lookup"),
    path("visits/<int:pk>/sheet/", visits.visit_sheet, name="visit-sheet"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/<int:pk>/", cases.case_detail, name="case-detail"),
    path("cases/<int:pk>/move/<slug:name>/", cases.case_move, name="case-move"),
    path("cases/<int:pk>/letter/", documents.referral_letter, name="referral-letter"),
    path("cases/<int:pk>/report/", documents.township_report, name="township-report"),
    path("inbox/", cases.inbox, name="inbox"),
    path("callbacks/", loop.callbacks, name="case-callbacks"),
    path("overdue/", cases.overdue, name="overdue"),
    path("data-requests/", privacy.request_list, name="data-requests"),
    path("data-requests/<int:pk>/", privacy.request_detail, name="data-request"),
    path("unit/", roles.unit_page, name="unit"),
    path("representative/", roles.representative_page, name="representative"),
]
