from django.urls import path

from stations import feeds, public

urlpatterns = [
    path("representatives/", public.representative_list, name="representative-list"),
    path(
        "representatives/<int:pk>/calendar.ics",
        feeds.representative_calendar,
        name="representative-calendar",
    ),
    path("stations/", public.station_list, name="station-list"),
    path("stations/<int:pk>/", public.station_detail, name="station-detail"),
    path("stations/<int:pk>/qr.svg", public.station_qr, name="station-qr"),
    path("stations/<int:pk>/poster/", public.station_poster, name="station-poster"),
    path("stations/<int:pk>/calendar.ics", feeds.station_calendar, name="station-calendar"),
]
