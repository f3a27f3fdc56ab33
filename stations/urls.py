from django.urls import path

from stations import feeds

app_name = "stations"

urlpatterns = [
    path("<int:pk>/calendar.ics", feeds.station_calendar, name="calendar"),
]
