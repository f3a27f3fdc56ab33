from django.urls import path

from stations import public

urlpatterns = [
    path("", public.home, name="home"),
    path("representatives/", public.representative_list, name="representative-list"),
    path("representatives/<int:pk>/", public.representative_detail, name="representative-detail"),
    path("stations/", public.station_list, name="station-list"),
    path("stations/<int:pk>/", public.station_detail, name="station-detail"),
]
