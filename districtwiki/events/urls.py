"""Routes of live events and chat rooms, under /events/ (DESIGN.md's URL contract)."""

app_name = "events"

# Each part of the feature adds its routes here: events and rooms, then calendars.
urlpatterns: list = []
