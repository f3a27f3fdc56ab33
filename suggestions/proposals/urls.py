from django.urls import path

from suggestions.proposals import public

urlpatterns = [
    path("", public.suggestion_list, name="suggestion-public-list"),
    path("<int:pk>/", public.suggestion_detail, name="suggestion-public-detail"),
]
