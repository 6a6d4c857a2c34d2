"""The Party-building calendar (month view, iCalendar feed) and the compliance page."""

urlpatterns = []
