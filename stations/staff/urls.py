from django.urls import path

from stations.staff import views

urlpatterns = [
    path("reception/plan/", views.plan, name="reception-plan"),
    path("reception/plan/generate/", views.plan_generate, name="reception-plan-generate"),
    path("reception/plan/publish/", views.plan_publish, name="reception-plan-publish"),
    path("reception/days/<int:pk>/", views.day_edit, name="reception-day"),
    path("reception/days/<int:pk>/notice/", views.day_notice, name="reception-notice"),
    path("reception/days/<int:pk>/<slug:action>/", views.day_action, name="reception-day-action"),
    path("visits/", views.visit_list, name="visit-list"),
]
