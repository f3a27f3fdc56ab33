from django.urls import path

from suggestions.cases import public

urlpatterns = [
    path("cases/submit/", public.case_submit, name="case-submit"),
    path("cases/status/", public.case_status, name="case-status"),
    path("cases/status/rate/", public.case_rate, name="case-rate"),
    path("cases/outcomes/", public.outcome_list, name="outcome-list"),
]
